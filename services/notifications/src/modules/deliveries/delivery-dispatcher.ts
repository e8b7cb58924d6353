import type { Clock } from '@only/platform/clock';
import { inTransaction, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import type { ChannelSender, SendOutcome } from '../../channels/channel.ts';
import { KIND_POLICIES, type Channel, type NotificationKind } from '../templates/notification-kinds.ts';
import type { DeliveriesRepository } from './deliveries.repository.ts';
import type { DeliveryRow } from './deliveries.table.ts';
import { retryDelayMs, type RetryPolicy } from './retry-policy.ts';

/** Options of {@link DeliveryDispatcher}. */
export interface DispatcherOptions {
  readonly db: Database;
  readonly repository: DeliveriesRepository;
  /** The sender of each channel that is configured; deliveries of others fail. */
  readonly senders: Partial<Record<Channel, ChannelSender>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  /** How often due deliveries are looked for, besides right after each commit that queued some. */
  readonly intervalMs: number;
  /** Deliveries claimed at once. */
  readonly batchSize?: number;
  /** How long a claimed delivery is hidden from other claims: longer than any send can take. */
  readonly leaseMs?: number;
}

/**
 * Sends queued deliveries, outside any database transaction: claiming (a short transaction, SKIP
 * LOCKED, so replicas share the queue), sending, and recording the outcome (another short
 * transaction) are separate, so a slow SMTP server never holds a transaction open. Failures that
 * may pass are retried with exponential backoff (`next_attempt_at`); after the last attempt, or on
 * a failure that will not pass, the delivery is `failed`.
 */
export class DeliveryDispatcher {
  private readonly options: DispatcherOptions;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private started = false;

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  /** Claims and sends one batch of due deliveries; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { clock, repository, db } = this.options;
    const now = clock.now();
    const claimed = await inTransaction(db, () =>
      repository.claimDue(now, this.batchSize, new Date(now.getTime() + this.leaseMs)),
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  /** Runs batches until nothing is due (for tests and shutdown); returns how many were attempted. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const attempted = await this.runOnce();
      total += attempted;
      if (attempted === 0) return total;
    }
  }

  /** Asks for a round soon: called after a commit that queued deliveries. */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'delivery round failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  start(): void {
    this.started = true;
    this.timer ??= setInterval(() => {
      this.kick();
    }, this.options.intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const { clock, logger } = this.options;
    const sender = this.options.senders[delivery.channel as Channel];
    const startedAt = clock.now();
    let outcome: SendOutcome;
    if (sender === undefined) {
      outcome = {
        ok: false,
        transient: false,
        error: `no ${delivery.channel} provider is configured`,
        providerResponse: null,
      };
    } else {
      try {
        outcome = await sender.send({
          deliveryId: delivery.id,
          to: delivery.address,
          fromName: delivery.fromName,
          subject: delivery.subject,
          text: delivery.bodyText ?? '',
          html: delivery.bodyHtml,
        });
      } catch (error) {
        outcome = { ok: false, transient: true, error: (error as Error).message, providerResponse: null };
      }
    }
    const finishedAt = clock.now();
    const status = this.record(delivery, outcome, startedAt, finishedAt);
    const fields = {
      deliveryId: delivery.id,
      tenantId: delivery.tenantId,
      kind: delivery.kind,
      channel: delivery.channel,
      attempt: delivery.attempts,
    };
    try {
      const final = await status;
      if (outcome.ok) logger.info({ ...fields, status: final }, 'notification delivered');
      else logger.warn({ ...fields, status: final, error: outcome.error }, 'notification delivery failed');
    } catch (error) {
      logger.error({ ...fields, err: error }, 'delivery outcome could not be recorded');
    }
  }

  /** Stores the attempt and moves the delivery on; returns its status afterwards. */
  private async record(
    delivery: DeliveryRow,
    outcome: SendOutcome,
    startedAt: Date,
    finishedAt: Date,
  ): Promise<string> {
    const { db, repository, retry } = this.options;
    const sensitive = KIND_POLICIES[delivery.kind as NotificationKind].sensitive === true;
    // A single-use link stays in the database only as long as it may still be sent.
    const erase = sensitive ? { bodyText: null, bodyHtml: null } : {};
    return inTransaction(db, async () => {
      await repository.insertAttempt({
        id: newId('att'),
        tenantId: delivery.tenantId,
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        outcome: outcome.ok ? 'sent' : 'failed',
        transient: outcome.ok ? null : outcome.transient,
        error: outcome.ok ? null : outcome.error,
        providerMessageId: outcome.ok ? outcome.providerMessageId : null,
        providerResponse: outcome.providerResponse,
        startedAt,
        finishedAt,
      });
      let status: 'sent' | 'failed' | 'queued';
      if (outcome.ok) {
        status = 'sent';
        await repository.finishAttempt(delivery.tenantId, delivery.id, delivery.attempts, {
          status,
          nextAttemptAt: null,
          lastError: null,
          providerMessageId: outcome.providerMessageId,
          providerResponse: outcome.providerResponse,
          sentAt: finishedAt,
          updatedAt: finishedAt,
          ...erase,
        });
      } else if (outcome.transient && delivery.attempts < delivery.maxAttempts) {
        status = 'queued';
        await repository.finishAttempt(delivery.tenantId, delivery.id, delivery.attempts, {
          nextAttemptAt: new Date(finishedAt.getTime() + retryDelayMs(retry, delivery.attempts)),
          lastError: outcome.error,
          providerResponse: outcome.providerResponse,
          updatedAt: finishedAt,
        });
      } else {
        status = 'failed';
        await repository.finishAttempt(delivery.tenantId, delivery.id, delivery.attempts, {
          status,
          nextAttemptAt: null,
          lastError: outcome.error,
          providerResponse: outcome.providerResponse,
          updatedAt: finishedAt,
          ...erase,
        });
      }
      return status;
    });
  }
}
