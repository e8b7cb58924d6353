// A stand-in SMS provider: a node:http server on 127.0.0.1 and a free port that records every
// request and answers with the statuses it is told (202 with a message id by default).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { to: string; text: string; reference: string; sender?: string };
}

export class TestSmsProvider {
  readonly requests: SmsRequest[] = [];
  private readonly server: Server;
  private answers: number[] = [];
  url = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsRequest['body'];
        this.requests.push({ headers: request.headers, body });
        const status = this.answers.shift() ?? 202;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(
          status < 300
            ? JSON.stringify({ id: `sms-${String(this.requests.length)}`, status: 'accepted' })
            : JSON.stringify({ error: status === 400 ? 'invalid number' : 'try again' }),
        );
      });
    });
  }

  static async start(): Promise<TestSmsProvider> {
    const provider = new TestSmsProvider();
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    provider.url = `http://127.0.0.1:${String((provider.server.address() as AddressInfo).port)}/v1/messages`;
    return provider;
  }

  /** Answers the next requests with these statuses. */
  answerNext(...statuses: number[]): void {
    this.answers.push(...statuses);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
