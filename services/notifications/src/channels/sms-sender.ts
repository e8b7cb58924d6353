import { truncate, type ChannelSender, type OutgoingMessage, type SendOutcome } from './channel.ts';

/** How to reach the SMS provider. */
export interface SmsSettings {
  /** Endpoint messages are POSTed to as JSON. */
  readonly url: string;
  /** Sent in the `X-Api-Key` header; never logged. */
  readonly apiKey: string;
  /** Sender name or number the provider shows, when it supports one. */
  readonly sender?: string;
  readonly timeoutMs?: number;
}

/**
 * SMS through an HTTP provider: a generic adapter that POSTs
 * `{ "to", "text", "reference", "sender"? }` as JSON with the API key in `X-Api-Key`. A 2xx answer
 * is accepted (its JSON `id` or `messageId` is kept as the provider's message id); 408, 429 and
 * 5xx answers and network failures are retried; other 4xx answers are not.
 */
export class HttpSmsSender implements ChannelSender {
  readonly description: string;
  private readonly settings: SmsSettings;

  constructor(settings: SmsSettings) {
    this.settings = settings;
    const url = new URL(settings.url);
    this.description = `sms ${url.origin}${url.pathname}`;
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-api-key': this.settings.apiKey,
        },
        body: JSON.stringify({
          to: message.to,
          text: message.text,
          reference: message.deliveryId,
          ...(this.settings.sender === undefined ? {} : { sender: this.settings.sender }),
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        ok: false,
        transient: true,
        error: truncate(`SMS provider unreachable (${reason})`),
        providerResponse: null,
      };
    }
    const body = await response.text().catch(() => '');
    const answer = truncate(`${String(response.status)} ${body}`.trim());
    if (response.ok) return { ok: true, providerMessageId: messageIdOf(body), providerResponse: answer };
    const transient = response.status === 408 || response.status === 429 || response.status >= 500;
    return {
      ok: false,
      transient,
      error: `SMS provider answered ${String(response.status)}`,
      providerResponse: answer,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function messageIdOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; messageId?: unknown };
    const id = parsed.messageId ?? parsed.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}
