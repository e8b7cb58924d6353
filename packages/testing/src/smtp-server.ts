// A real SMTP server for the tests (the smtp-server package) on 127.0.0.1 and a free port: it
// accepts mail like any server, can require a login, and can be told to refuse the next messages.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime.ts';

/** A message as the server received it. */
export interface ReceivedMail extends ParsedMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: string[];
  readonly raw: string;
}

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private readonly server: SMTPServer;
  private refusals: { code: number; message: string }[] = [];
  private readonly waiters: (() => void)[] = [];
  port = 0;

  private constructor(credentials: { user: string; password: string } | undefined) {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: credentials === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: credentials === undefined,
      logger: false,
      onAuth(auth, _session, callback) {
        if (
          credentials !== undefined &&
          auth.username === credentials.user &&
          auth.password === credentials.password
        ) {
          callback(null, { user: auth.username });
          return;
        }
        callback(new Error('Invalid username or password'));
      },
      onRcptTo: (_address, _session, callback) => {
        const refusal = this.refusals.shift();
        if (refusal === undefined) {
          callback();
          return;
        }
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({
            ...parseMail(raw),
            raw,
            envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          });
          for (const wake of this.waiters.splice(0)) wake();
          callback();
        });
      },
    });
  }

  /** Starts a server; with `credentials`, it accepts mail only after that login. */
  static async start(credentials?: { user: string; password: string }): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(credentials);
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    smtp.port = (smtp.server.server.address() as AddressInfo).port;
    return smtp;
  }

  /** Refuses the next recipients with these SMTP replies (e.g. 451 "try later", 550 "no such user"). */
  refuseNext(...replies: { code: number; message: string }[]): void {
    this.refusals.push(...replies);
  }

  /** Messages received for an address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.envelopeTo.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
