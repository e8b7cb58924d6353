import type { Clock } from '@only/platform/clock';
import { inTransaction, withAllTenantsScope, withTenantScope, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { signatureHeader, SIGNATURE_HEADER } from './webhook-signature.ts';
import type { ClaimedDelivery, WebhooksRepository } from './webhooks.repository.ts';

/** How deliveries are sent and retried. */
export interface WebhookDeliverySettings {
  /** How long one attempt waits for the endpoint's answer. */
  readonly timeoutMs: number;
  /** Attempts before a delivery is given up as `failed`. */
  readonly maxAttempts: number;
  /** Wait before the 2nd attempt; each further wait doubles, up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How often each process looks for due deliveries. */
  readonly pollIntervalMs: number;
  /** Deliveries claimed (and sent concurrently) per round. */
  readonly batchSize: number;
}

/** The wait after the `attempt`-th failed attempt: base × 2^(attempt−1), capped. */
export function backoffMs(
  attempt: number,
  settings: Pick<WebhookDeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
) {
  return Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempt - 1), settings.retryMaxMs);
}

/** What one attempt ended with. */
interface AttemptResult {
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly succeeded: boolean;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message;
  }
  return 'failed';
}

/**
 * Sends due webhook deliveries: signed POSTs with a timeout, retried with exponential backoff
 * from a stored due time (so retries survive restarts), every attempt logged, `failed` after the
 * last one. Any number of processes may poll at once: each claims different deliveries (FOR
 * UPDATE SKIP LOCKED plus a lease), and a crashed sender's claim lapses.
 */
export class WebhookDeliverer {
  private readonly db: Database;
  private readonly repository: WebhooksRepository;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settings: WebhookDeliverySettings;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(deps: {
    db: Database;
    repository: WebhooksRepository;
    clock: Clock;
    logger: Logger;
    settings: WebhookDeliverySettings;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.settings = deps.settings;
  }

  /** One batch: claims what is due now, sends it, records each attempt. Returns how many were tried. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.settings.timeoutMs + 30_000);
    // A platform job across tenants: row-level security lets it see every tenant's deliveries.
    const claimed = await withAllTenantsScope(() =>
      inTransaction(this.db, () => this.repository.claimDue(now, this.settings.batchSize, leaseUntil)),
    );
    await Promise.all(claimed.map((item) => this.attempt(item)));
    return claimed.length;
  }

  /** Rounds until nothing is due. */
  async deliverAllDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const tried = await this.deliverDue();
      total += tried;
      if (tried < this.settings.batchSize || this.stopping) return total;
    }
  }

  private async attempt({ delivery, url, signingSecret }: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    let result: AttemptResult;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Only-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(signingSecret, timestamp, body),
          'only-webhook-id': delivery.id,
          'only-event-id': delivery.eventId,
          'only-event-type': delivery.eventType,
          'only-delivery-attempt': String(delivery.attempts),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        // A redirect is an answer, not a success: the endpoint's URL should be changed instead.
        redirect: 'manual',
      });
      await response.body?.cancel();
      const succeeded = response.status >= 200 && response.status < 300;
      result = {
        statusCode: response.status,
        error: succeeded ? null : `HTTP ${String(response.status)}`,
        succeeded,
      };
    } catch (error) {
      result = { statusCode: null, error: describeFailure(error), succeeded: false };
    }
    await this.record(delivery.tenantId, delivery.id, delivery.attempts, result);
  }

  private async record(tenantId: string, deliveryId: string, attempt: number, result: AttemptResult) {
    const now = this.clock.now();
    const givenUp = !result.succeeded && attempt >= this.settings.maxAttempts;
    const recorded = await withTenantScope(tenantId, () =>
      inTransaction(this.db, () =>
        this.repository.recordAttempt(
          {
            id: newId('wha'),
            tenantId,
            deliveryId,
            attempt,
            attemptedAt: now,
            statusCode: result.statusCode,
            error: result.error,
            succeeded: result.succeeded,
          },
          attempt,
          {
            status: result.succeeded ? 'delivered' : givenUp ? 'failed' : 'pending',
            lastStatusCode: result.statusCode,
            lastError: result.error,
            ...(result.succeeded ? { deliveredAt: now } : {}),
            nextAttemptAt:
              result.succeeded || givenUp ? now : new Date(now.getTime() + backoffMs(attempt, this.settings)),
          },
        ),
      ),
    );
    const fields = { deliveryId, attempt, statusCode: result.statusCode, error: result.error };
    if (recorded === undefined) this.logger.warn(fields, 'webhook attempt outlived its claim; not recorded');
    else if (givenUp) this.logger.warn(fields, 'webhook delivery failed for good');
    else if (!result.succeeded) this.logger.info(fields, 'webhook delivery failed; will retry');
  }

  start(): void {
    this.stopping = false;
    this.timer ??= setInterval(() => {
      // Rounds never overlap in one process: a slow round delays the next instead.
      if (this.running) return;
      this.running = this.deliverAllDue()
        .then(
          () => undefined,
          (error: unknown) => {
            this.logger.warn({ err: error }, 'webhook delivery round failed');
          },
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.settings.pollIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
