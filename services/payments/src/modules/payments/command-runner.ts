import { createHash } from 'node:crypto';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { AppError, findErrorSpec, platformErrors } from '@only/platform/errors';
import { canonicalJson } from '@only/platform/http';
import type { Logger } from '@only/platform/log';
import { paymentsErrors } from '../../errors.ts';
import type { ProviderCallOptions } from '../providers/payment-provider.ts';
import type { PaymentView, RefundView } from './payments.dto.ts';
import type { PaymentsRepository } from './payments.repository.ts';
import type {
  OperationKind,
  OperationOutcome,
  PaymentOperationRow,
  PaymentRow,
  StoredProblem,
} from './payments.table.ts';

/** What a command answers: the payment as it is after it, and the refund a refund made. */
export interface CommandResult {
  readonly payment: PaymentView;
  readonly refund?: RefundView;
}

/** A command's answer, and whether it was replayed from an earlier request with the same key. */
export type CommandOutcome = CommandResult & { readonly replayed: boolean };

/** How a command ended once the provider answered. */
export interface Applied {
  readonly outcome: Exclude<OperationOutcome, 'pending' | 'unknown' | 'rejected'>;
  readonly providerReference: string | null;
  /** The answer to return (and replay); absent when the command fails with `error`. */
  readonly result?: CommandResult;
  readonly error?: AppError;
}

/** What a command's first step (under the payment's row lock) gives the runner. */
export type Started =
  | { readonly type: 'claimed'; readonly payment: PaymentRow; readonly op: PaymentOperationRow }
  /** Nothing to do (e.g. voiding a voided payment): this answer, no operation, no provider call. */
  | { readonly type: 'done'; readonly result: CommandResult };

/**
 * One payment command, in the three steps the runner drives: `start` in a transaction (checks
 * and the new operation), `call` to the provider outside any transaction, `apply` in a second
 * transaction (the new state, events and webhooks together).
 */
export interface Command<A> {
  readonly kind: OperationKind;
  readonly idempotencyKey: string;
  /** Hash of the request: the same key with another request is refused. */
  readonly fingerprint: string;
  /**
   * Under the payment's row lock: refuses what the payment's state does not allow (throws; nothing
   * is recorded, the key stays unused), else stores the operation (throw {@link KeyTaken} when
   * its key is taken) and what it reserves.
   */
  start(now: Date): Promise<Started>;
  call(payment: PaymentRow, op: PaymentOperationRow, options: ProviderCallOptions): Promise<A>;
  /** Applies the provider's answer to the payment, locked again; emits the events. */
  apply(payment: PaymentRow, op: PaymentOperationRow, answer: A, now: Date): Promise<Applied>;
  /** Changes to the payment when the provider's answer never came. */
  unknown(payment: PaymentRow, now: Date): Promise<void>;
}

/** Thrown by `start` when a concurrent request stored the same key first; the runner retries once. */
export class KeyTaken extends Error {
  constructor() {
    super('idempotency key taken concurrently');
    this.name = 'KeyTaken';
  }
}

/** Operations that hold the payment (one at a time); refunds do not, they reserve amounts. */
export function isExclusive(kind: OperationKind): boolean {
  return kind !== 'refund';
}

/** The request's fingerprint: equal requests hash equally whatever their key order. */
export function fingerprintOf(request: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64url');
}

export function toStoredProblem(error: AppError): StoredProblem {
  return { code: error.code, detail: error.detail ?? null, extensions: { ...error.extensions } };
}

function fromStoredProblem(problem: StoredProblem): AppError {
  const spec = findErrorSpec(problem.code) ?? { status: 500, title: 'Internal error' };
  return new AppError(problem.code, spec, problem.detail ?? undefined, problem.extensions);
}

/** Where a command stands after its first step: started, finished without an operation, or a replay. */
type Begun = Started | { readonly type: 'replay'; readonly op: PaymentOperationRow };

/**
 * Runs payment commands so that none charges twice. Each operation is stored with its key before
 * the provider is called, and the provider-side idempotency key is the operation's id: a retry
 * with the same key either replays the stored answer (no provider call), or — when the first
 * call's outcome is unknown (timeout, crash) — repeats the provider call with the same provider
 * key, which a processor answers with its first outcome. No transaction is open during a provider
 * call; row locks on the payment serialize the checks that keep amounts within bounds.
 */
export class CommandRunner {
  private readonly db: Database;
  private readonly repository: PaymentsRepository;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly providerTimeoutMs: number;

  constructor(deps: {
    db: Database;
    repository: PaymentsRepository;
    clock: Clock;
    logger: Logger;
    providerTimeoutMs: number;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.providerTimeoutMs = deps.providerTimeoutMs;
  }

  /** How long an operation's provider call holds it before another request may take it over. */
  leaseUntil(now: Date): Date {
    return new Date(now.getTime() + this.providerTimeoutMs + 10_000);
  }

  async run<A>(ctx: RequestContext, command: Command<A>): Promise<CommandOutcome> {
    const begun = await this.begin(ctx, command);
    if (begun.type === 'replay') return this.replay(begun.op);
    if (begun.type === 'done') return { ...begun.result, replayed: false };
    const { payment, op } = begun;

    let answer: A;
    try {
      answer = await this.callProvider((signal) =>
        command.call(payment, op, { idempotencyKey: op.id, attempt: op.attempts, signal }),
      );
    } catch (error) {
      this.logger.warn(
        {
          paymentId: payment.id,
          operationId: op.id,
          kind: op.kind,
          attempt: op.attempts,
          reason: error instanceof Error ? error.message : 'unknown',
        },
        'payment provider did not answer; outcome unknown',
      );
      await this.markUnknown(ctx, command, op);
      throw paymentsErrors.provider_unavailable(
        `The payment provider did not answer the ${op.kind} of payment ${payment.id}; retry with the same Idempotency-Key.`,
        { paymentId: payment.id, operationId: op.id, retryable: true },
      );
    }

    const finished = await this.finish(ctx, command, op, answer);
    if (finished.type === 'lost') return this.replayCurrent(ctx, op);
    this.logger.info(
      { paymentId: payment.id, operationId: op.id, kind: op.kind, outcome: finished.applied.outcome },
      'payment operation done',
    );
    if (finished.applied.error !== undefined) throw finished.applied.error;
    if (finished.applied.result === undefined) throw new Error(`${op.kind} applied without a result`);
    return { ...finished.applied.result, replayed: false };
  }

  private async begin<A>(ctx: RequestContext, command: Command<A>): Promise<Begun> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, async (): Promise<Begun> => {
          const existing = await this.repository.findOperationByKey(ctx.tenantId, command.idempotencyKey);
          if (existing !== undefined) return this.reuse(ctx, command, existing);
          return command.start(this.clock.now());
        });
      } catch (error) {
        // The other request's operation is committed now: the next round finds it.
        if (error instanceof KeyTaken && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** A request with a key already used: replay, resume an unknown outcome, or refuse. */
  private async reuse<A>(
    ctx: RequestContext,
    command: Command<A>,
    found: PaymentOperationRow,
  ): Promise<Begun> {
    if (found.fingerprint !== command.fingerprint || found.kind !== command.kind) {
      throw platformErrors.idempotency_key_reused(
        `This Idempotency-Key was first used for another request (${found.kind} of payment ${found.paymentId}).`,
        { field: 'Idempotency-Key' },
      );
    }
    // Lock order everywhere: the payment, then its operation.
    const payment = await this.repository.findPayment(ctx.tenantId, found.paymentId, { forUpdate: true });
    const op = await this.repository.findOperation(ctx.tenantId, found.id, { forUpdate: true });
    if (payment === undefined || op === undefined) throw new Error(`operation ${found.id} vanished`);
    const now = this.clock.now();
    switch (op.outcome) {
      case 'succeeded':
      case 'requires_action':
      case 'declined':
      case 'rejected':
        return { type: 'replay', op };
      case 'pending':
        if (op.leaseUntil !== null && op.leaseUntil.getTime() > now.getTime())
          throw paymentsErrors.operation_in_progress(
            `The ${op.kind} of payment ${op.paymentId} is still waiting for the provider; retry shortly.`,
            { paymentId: op.paymentId, operationId: op.id },
          );
        // Its holder is gone (crashed mid-call): take it over like an unknown outcome.
        break;
      case 'unknown':
        break;
    }
    const resumed = await this.repository.updateOperation(ctx.tenantId, op.id, {
      outcome: 'pending',
      attempts: op.attempts + 1,
      leaseUntil: this.leaseUntil(now),
    });
    const held = isExclusive(op.kind)
      ? await this.repository.updatePayment(ctx.tenantId, payment.id, {
          status: 'processing',
          updatedAt: now,
        })
      : payment;
    return { type: 'claimed', payment: held, op: resumed };
  }

  /** The provider's answer within the provider timeout; rejects when it does not come in time. */
  private async callProvider<A>(call: (signal: AbortSignal) => Promise<A>): Promise<A> {
    const signal = AbortSignal.timeout(this.providerTimeoutMs);
    let onAbort: (() => void) | undefined;
    // Raced, so that an adapter ignoring its signal cannot hold the request beyond the timeout.
    const timedOut = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        reject(new Error(`no answer within ${String(this.providerTimeoutMs)} ms`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([call(signal), timedOut]);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  private async finish<A>(
    ctx: RequestContext,
    command: Command<A>,
    claimed: PaymentOperationRow,
    answer: A,
  ): Promise<{ type: 'lost' } | { type: 'applied'; applied: Applied }> {
    return inTransaction(this.db, async () => {
      const payment = await this.repository.findPayment(ctx.tenantId, claimed.paymentId, { forUpdate: true });
      const op = await this.repository.findOperation(ctx.tenantId, claimed.id, { forUpdate: true });
      if (payment === undefined || op === undefined) throw new Error(`operation ${claimed.id} vanished`);
      // Another request took the operation over (this call outlived its lease): its answer wins.
      if (op.outcome !== 'pending' || op.attempts !== claimed.attempts) return { type: 'lost' as const };
      const now = this.clock.now();
      const applied = await command.apply(payment, op, answer, now);
      await this.repository.updateOperation(ctx.tenantId, op.id, {
        outcome: applied.outcome,
        providerReference: applied.providerReference,
        problem: applied.error === undefined ? null : toStoredProblem(applied.error),
        result: applied.result ?? null,
        leaseUntil: null,
        completedAt: now,
      });
      return { type: 'applied' as const, applied };
    });
  }

  private async markUnknown<A>(ctx: RequestContext, command: Command<A>, claimed: PaymentOperationRow) {
    await inTransaction(this.db, async () => {
      const payment = await this.repository.findPayment(ctx.tenantId, claimed.paymentId, { forUpdate: true });
      const op = await this.repository.findOperation(ctx.tenantId, claimed.id, { forUpdate: true });
      if (payment === undefined || op === undefined) return;
      if (op.outcome !== 'pending' || op.attempts !== claimed.attempts) return;
      const now = this.clock.now();
      await this.repository.updateOperation(ctx.tenantId, op.id, { outcome: 'unknown', leaseUntil: null });
      await command.unknown(payment, now);
    });
  }

  /** The stored answer of a finished operation. */
  private replay(op: PaymentOperationRow): CommandOutcome {
    if (op.problem !== null) throw fromStoredProblem(op.problem);
    if (op.result === null) throw new Error(`operation ${op.id} has neither result nor problem`);
    return { ...(op.result as CommandResult), replayed: true };
  }

  /** After losing an operation to a concurrent retry: its answer if final, else "in progress". */
  private async replayCurrent(ctx: RequestContext, claimed: PaymentOperationRow): Promise<CommandOutcome> {
    const op = await this.repository.findOperation(ctx.tenantId, claimed.id);
    if (op === undefined || op.outcome === 'pending' || op.outcome === 'unknown')
      throw paymentsErrors.operation_in_progress(
        `The ${claimed.kind} of payment ${claimed.paymentId} is being retried by another request.`,
        { paymentId: claimed.paymentId, operationId: claimed.id },
      );
    return this.replay(op);
  }
}
