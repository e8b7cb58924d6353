import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { truncate, type ChannelSender, type OutgoingMessage, type SendOutcome } from './channel.ts';

/** How to reach the SMTP server. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  /** Connection, greeting and socket timeout. */
  readonly timeoutMs?: number;
}

/** Where email goes: an SMTP server, or (without one) `.eml` files in a directory. */
export type EmailSettings =
  | { readonly kind: 'smtp'; readonly smtp: SmtpSettings; readonly from: string }
  | { readonly kind: 'directory'; readonly directory: string; readonly from: string };

/** SMTP reply codes and socket errors that say "try again later". */
const TRANSIENT_CODES = new Set([
  'ETIMEDOUT',
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'EAUTH',
  'ETLS',
]);

function smtpFailure(error: unknown): SendOutcome {
  const failure = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const responseCode = failure.responseCode;
  // 5xx replies (mailbox unknown, message refused) and refused envelopes will not change on retry.
  const permanent =
    (responseCode !== undefined && responseCode >= 500) ||
    (failure.code === 'EENVELOPE' && (responseCode === undefined || responseCode >= 500));
  return {
    ok: false,
    transient:
      !permanent &&
      (TRANSIENT_CODES.has(failure.code ?? '') || responseCode === undefined || responseCode < 500),
    error: truncate(failure.message ?? String(error)),
    providerResponse: failure.response === undefined ? null : truncate(failure.response),
  };
}

function mailOf(message: OutgoingMessage, from: string) {
  const address = addressparser(from, { flatten: true })[0]?.address;
  return {
    // The tenant's name as sender name, the configured address as sender.
    from: message.fromName !== null && address !== undefined ? { name: message.fromName, address } : from,
    to: message.to,
    subject: message.subject ?? '',
    text: message.text,
    ...(message.html === null ? {} : { html: message.html }),
    headers: { 'X-Only-Delivery': message.deliveryId },
  };
}

/** Email over SMTP with nodemailer (a pool of connections, reused across messages). */
export class SmtpEmailSender implements ChannelSender {
  readonly description: string;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly from: string;

  constructor(settings: SmtpSettings, from: string) {
    this.description = `smtp://${settings.host}:${String(settings.port)}`;
    this.from = from;
    const timeout = settings.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user === undefined
        ? {}
        : { auth: { user: settings.user, pass: settings.password ?? '' } }),
      pool: true,
      maxConnections: 5,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 3,
      // Nodemailer's own logging would print message content; ours never does.
      logger: false,
      debug: false,
    } as SMTPTransport.Options);
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail(mailOf(message, this.from));
      return { ok: true, providerMessageId: info.messageId, providerResponse: truncate(info.response) };
    } catch (error) {
      return smtpFailure(error);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

/**
 * Without an SMTP server (embedded mode out of the box), mails are not lost: each is written as an
 * `.eml` file (open it with any mail client) into a directory, named after its delivery id.
 */
export class DirectoryEmailSender implements ChannelSender {
  readonly description: string;
  private readonly directory: string;
  private readonly from: string;
  private readonly transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(directory: string, from: string) {
    this.directory = directory;
    this.from = from;
    this.description = `directory ${directory}`;
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail(mailOf(message, this.from));
      await mkdir(this.directory, { recursive: true });
      const file = join(this.directory, `${message.deliveryId}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      return { ok: true, providerMessageId: info.messageId, providerResponse: `written to ${file}` };
    } catch (error) {
      return {
        ok: false,
        transient: true,
        error: truncate((error as Error).message),
        providerResponse: null,
      };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The email sender the settings ask for. */
export function createEmailSender(settings: EmailSettings): ChannelSender {
  return settings.kind === 'smtp'
    ? new SmtpEmailSender(settings.smtp, settings.from)
    : new DirectoryEmailSender(settings.directory, settings.from);
}
