/** A message as a channel sends it. */
export interface OutgoingMessage {
  /** The delivery's id: providers get it as a reference, and it keeps retries recognisable. */
  readonly deliveryId: string;
  readonly to: string;
  readonly fromName: string | null;
  readonly subject: string | null;
  readonly text: string;
  readonly html: string | null;
}

/** What one attempt to hand a message to its provider came to. */
export type SendOutcome =
  | { readonly ok: true; readonly providerMessageId: string | null; readonly providerResponse: string | null }
  | {
      readonly ok: false;
      /** Worth trying again later (timeouts, temporary refusals); false when it never will work. */
      readonly transient: boolean;
      readonly error: string;
      readonly providerResponse: string | null;
    };

/** Hands messages of one channel to a provider (SMTP server, SMS gateway). */
export interface ChannelSender {
  /** Short description for logs and readiness: never a secret. */
  readonly description: string;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** Cuts provider answers to what a log row should hold. */
export function truncate(value: string, max = 500): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}
