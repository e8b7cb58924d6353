// Executes migration runs in the background of this process: one AbortController per run (a stop
// takes effect between batches), progress fanned out to live event streams, and dry runs — which
// store nothing — kept in memory for a while so that they can be watched and read like any run.
import { AsyncResource } from 'node:async_hooks';
import type { Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { redactUrl, type Logger } from '@only/platform/log';
import { migrateFromSource, type PreparedMapping } from '../loader/migrate-command.ts';
import type { MigrateProgress } from '../loader/migrate-run.ts';
import type { RunSnapshot } from './runs.dto.ts';
import type { RunsRepository } from './runs.repository.ts';
import type { EntityCounts } from './runs.table.ts';

/** What a run's live watchers are told. */
export type RunEvent =
  { readonly type: 'progress'; readonly progress: MigrateProgress } | { readonly type: 'end' };

/** A run executing (or, for a dry run, recently executed) in this process. */
export interface LocalRun {
  readonly id: string;
  readonly tenantId: string;
  readonly dryRun: boolean;
  /** Whether a stored run was resumed. */
  readonly resumed: boolean;
  /** Live state; what the API shows for a dry run. */
  readonly snapshot: () => RunSnapshot;
  /** Resolves when the run has ended (its final state stored). */
  readonly ended: Promise<void>;
  /** Calls `listener` with each event until the returned function is called. */
  subscribe(listener: (event: RunEvent) => void): () => void;
}

/** What a run is started with. */
export interface LaunchInput {
  readonly tenantId: string;
  readonly mapping: PreparedMapping;
  /** With its credentials. */
  readonly sourceUrl: string;
  readonly dryRun: boolean;
  readonly resume: boolean;
  readonly batchSize?: number;
}

/** A place among the runs this process executes, taken before a run is started. */
export interface RunSlot {
  release(): void;
}

interface Entry {
  readonly run: LocalRun;
  readonly controller: AbortController;
  readonly listeners: Set<(event: RunEvent) => void>;
}

/** Raised when {@link RunExecutor.reserve} finds no room. */
export class RunCapacityError extends Error {
  readonly reason: 'process_full' | 'tenant_busy';
  constructor(reason: 'process_full' | 'tenant_busy') {
    super(
      reason === 'process_full'
        ? 'This process runs its maximum of migrations'
        : 'The tenant has a run starting',
    );
    this.name = 'RunCapacityError';
    this.reason = reason;
  }
}

/** Options of {@link RunExecutor}. */
export interface RunExecutorOptions {
  readonly db: Database;
  readonly repository: RunsRepository;
  readonly logger: Logger;
  /** Runs (dry runs included) executed at once. */
  readonly maxRuns: number;
  /** How often a running run checks whether another process stopped it. */
  readonly stopCheckIntervalMs: number;
  /** How long a finished dry run stays readable. */
  readonly dryRunRetentionMs: number;
}

/** The runs this process executes. */
export class RunExecutor {
  private readonly options: RunExecutorOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly active = new Set<Promise<unknown>>();
  /** Reserved places: every run between `reserve` and its end. */
  private reserved = 0;
  /** Tenants with a stored run starting or running here (one at a time per tenant). */
  private readonly busyTenants = new Set<string>();
  /** The context the executor was made in (at boot: no request, no tenant scope, no transaction). */
  private readonly root = new AsyncResource('only.migration.runs');
  private closed = false;

  constructor(options: RunExecutorOptions) {
    this.options = options;
  }

  /**
   * Takes a place for a run, synchronously, so that concurrent requests cannot both pass the
   * checks; throws a {@link RunCapacityError} when the process is full or (for a run that writes)
   * the tenant already has one here.
   */
  reserve(tenantId: string, dryRun: boolean): RunSlot {
    if (this.closed || this.reserved >= this.options.maxRuns) throw new RunCapacityError('process_full');
    if (!dryRun && this.busyTenants.has(tenantId)) throw new RunCapacityError('tenant_busy');
    this.reserved++;
    if (!dryRun) this.busyTenants.add(tenantId);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.reserved--;
        if (!dryRun) this.busyTenants.delete(tenantId);
      },
    };
  }

  /**
   * Starts a run in the background with a reserved slot. Resolves once the run is stored (its id
   * known); rejects with the error when it fails before that — a mapping or source problem —
   * leaving nothing behind. The run executes outside the request's tenant scope, like
   * `only migrate`: it writes the target services' tables (and moves their sequences) as the
   * service's own database user, every statement naming the run's tenant.
   */
  launch(input: LaunchInput, slot: RunSlot): Promise<LocalRun> {
    const controller = new AbortController();
    const listeners = new Set<(event: RunEvent) => void>();
    const emit = (event: RunEvent) => {
      for (const listener of [...listeners]) listener(event);
    };
    const startedAt = new Date();
    const counts: Record<string, EntityCounts> = {};
    const dryRunId = input.dryRun ? newId('mrun') : undefined;
    let state: { status: RunSnapshot['status']; error: string | null; finishedAt: Date | null } = {
      status: 'running',
      error: null,
      finishedAt: null,
    };
    let lastStopCheck = Date.now();
    let opened: ((run: LocalRun) => void) | undefined;
    let failedEarly: ((error: unknown) => void) | undefined;
    const whenOpened = new Promise<LocalRun>((resolve, reject) => {
      opened = resolve;
      failedEarly = reject;
    });
    let endRun: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      endRun = resolve;
    });
    let run: LocalRun | undefined;

    const onOpened = ({ runId, resumed }: { runId: string | null; resumed: boolean }) => {
      const id = runId ?? dryRunId ?? '';
      run = {
        id,
        tenantId: input.tenantId,
        dryRun: input.dryRun,
        resumed,
        snapshot: () => ({
          id,
          tenantId: input.tenantId,
          status: state.status,
          dryRun: input.dryRun,
          mappingName: input.mapping.name,
          mappingHash: input.mapping.hash,
          sourceUrl: redactUrl(input.sourceUrl),
          counts: { ...counts },
          error: state.error,
          startedAt,
          finishedAt: state.finishedAt,
        }),
        ended,
        subscribe: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      };
      this.entries.set(id, { run, controller, listeners });
      opened?.(run);
    };

    const onProgress = (progress: MigrateProgress) => {
      if (progress.kind !== 'entity_pending') counts[progress.entity] = { ...progress.counts };
      emit({ type: 'progress', progress });
      if (progress.kind === 'batch' && !input.dryRun && run !== undefined) {
        const now = Date.now();
        if (now - lastStopCheck >= this.options.stopCheckIntervalMs) {
          lastStopCheck = now;
          this.checkStoppedElsewhere(run.id, controller);
        }
      }
    };

    const work = this.root.runInAsyncScope(() =>
      migrateFromSource({
        db: this.options.db,
        mapping: input.mapping,
        sourceUrl: input.sourceUrl,
        tenantId: input.tenantId,
        dryRun: input.dryRun,
        resume: input.resume,
        ...(input.batchSize === undefined ? {} : { batchSize: input.batchSize }),
        signal: controller.signal,
        onOpened,
        onProgress,
      }),
    );
    const settled = work.then(
      () => {
        state = { status: 'completed', error: null, finishedAt: new Date() };
      },
      (error: unknown) => {
        if (run === undefined) {
          failedEarly?.(error);
          return;
        }
        state = {
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          finishedAt: new Date(),
        };
        if (!controller.signal.aborted) {
          this.options.logger.warn({ err: error, runId: run.id }, 'migration run failed');
        }
      },
    );
    const finished = settled.finally(() => {
      slot.release();
      this.active.delete(finished);
      const id = run?.id;
      if (id !== undefined) {
        emit({ type: 'end' });
        // A stored run is read from the database from now on; a dry run only lives here.
        if (input.dryRun) {
          setTimeout(() => this.entries.delete(id), this.options.dryRunRetentionMs).unref();
        } else {
          this.entries.delete(id);
        }
      }
      endRun();
    });
    this.active.add(finished);
    return whenOpened;
  }

  /** The run if this process executes it (or holds it, for a dry run) for this tenant. */
  local(tenantId: string, id: string): LocalRun | undefined {
    const entry = this.entries.get(id);
    return entry?.run.tenantId === tenantId ? entry.run : undefined;
  }

  /**
   * Asks a run executing here to stop before its next batch, with `reason` as its error; resolves
   * true once it has ended, false if it is still finishing its batch after `waitMs`.
   */
  async stop(id: string, reason: string, waitMs: number): Promise<boolean> {
    const entry = this.entries.get(id);
    if (entry === undefined) return true;
    entry.controller.abort(new Error(reason));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, waitMs);
    });
    try {
      return await Promise.race([entry.run.ended.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every run (at shutdown) and waits up to `waitMs` for them to end; starts no more. */
  async stopAll(reason: string, waitMs: number): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) entry.controller.abort(new Error(reason));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.active]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** A run marked stopped in the database by another process is aborted here too. */
  private checkStoppedElsewhere(id: string, controller: AbortController): void {
    this.options.repository.statusOf(id).then(
      (row) => {
        if (row !== undefined && row.status !== 'running' && !controller.signal.aborted) {
          controller.abort(new Error(row.error ?? `Run ended as ${row.status} elsewhere`));
        }
      },
      (error: unknown) => {
        this.options.logger.debug({ err: error, runId: id }, 'could not check whether the run was stopped');
      },
    );
  }
}
