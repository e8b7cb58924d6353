// A real HTTP server on 127.0.0.1 that receives webhooks the way a tenant's endpoint would: it
// checks each signature itself (HMAC-SHA256 over "<t>.<raw body>", written here independently of
// the service's code) and answers with the statuses the test scripts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Timestamp of the signature, unix seconds; undefined when the header did not parse. */
  readonly timestamp: number | undefined;
  /** Whether the signature matched the raw body under the secret the test gave. */
  readonly signatureValid: boolean;
  readonly answeredWith: number;
}

export class WebhookReceiver {
  private readonly server: Server;
  private readonly statuses: number[] = [];
  readonly received: ReceivedWebhook[] = [];
  /** The secret signatures are checked with (the endpoint's, once created). */
  secret = '';

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const { timestamp, valid } = receiver.check(request.headers['only-signature'], body);
        const status = receiver.statuses.shift() ?? 204;
        receiver.received.push({
          headers: request.headers,
          body,
          timestamp,
          signatureValid: valid,
          answeredWith: status,
        });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}/hooks`;
  }

  /** The next requests are answered with these statuses, in order (204 afterwards). */
  answer(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  private check(header: string | string[] | undefined, body: string): { timestamp?: number; valid: boolean } {
    if (typeof header !== 'string') return { valid: false };
    const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
    const timestamp = Number(parts.t);
    const given = parts.v1;
    if (!Number.isInteger(timestamp) || given === undefined || !/^[0-9a-f]{64}$/.test(given))
      return { valid: false };
    const expected = createHmac('sha256', this.secret)
      .update(`${String(timestamp)}.${body}`)
      .digest();
    return { timestamp, valid: timingSafeEqual(expected, Buffer.from(given, 'hex')) };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
