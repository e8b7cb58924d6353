// Periodic reconciliation while the legacy system and Only run side by side: one run, then a pause
// of the interval, then the next, so runs never overlap however long one takes. stop() aborts a
// run in progress (it is stored as failed: "stopped") and waits for it to end.
import { positiveInt } from '@only/platform/config';
import type { Database } from '@only/platform/db';
import type { Logger } from '@only/platform/log';
import { z } from 'zod';
import { reconcileFromFiles } from './reconcile-command.ts';
import { writeReconcileReports, parseReportFormats, type ReportFormat } from './reconcile-report.ts';
import type { ReconcileResult } from './reconcile-run.ts';

/** Options of {@link startReconcileSchedule}. */
export interface ReconcileScheduleOptions {
  readonly db: Database;
  readonly logger: Logger;
  /** Pause between the end of one run and the start of the next. */
  readonly intervalMs: number;
  /** Before the first run (default: the interval). */
  readonly initialDelayMs?: number;
  readonly mappingPath: string;
  /** With its password; logged and stored without it. */
  readonly sourceUrl: string;
  /** Tenant id or slug; the mapping's `tenant` when absent. */
  readonly tenant?: string;
  readonly entities?: readonly string[];
  /** Where each run's reports go (none when absent). */
  readonly reportDir?: string;
  readonly formats?: readonly ReportFormat[];
  /** Told after every run, with its result or error. */
  readonly onRun?: (outcome: { result?: ReconcileResult; error?: unknown }) => void;
}

/** A running schedule. */
export interface ReconcileSchedule {
  /** Stops it: no further run starts; a run in progress is aborted and awaited. */
  stop(): Promise<void>;
}

/** Starts periodic reconciliation; see the file header. */
export function startReconcileSchedule(options: ReconcileScheduleOptions): ReconcileSchedule {
  if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1) {
    throw new RangeError('intervalMs must be a positive whole number');
  }
  const logger = options.logger.child({ module: 'migration.reconcile-schedule' });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: { controller: AbortController; done: Promise<void> } | undefined;

  const runOnce = async (signal: AbortSignal) => {
    try {
      const result = await reconcileFromFiles({
        db: options.db,
        mappingPath: options.mappingPath,
        sourceUrl: options.sourceUrl,
        ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
        ...(options.entities === undefined ? {} : { entities: options.entities }),
        trigger: 'schedule',
        signal,
      });
      logger.info(
        { runId: result.runId, discrepancies: result.discrepancies, counts: result.counts },
        result.discrepancies === 0
          ? 'reconciliation: no discrepancies'
          : 'reconciliation found discrepancies',
      );
      if (options.reportDir !== undefined) {
        await writeReconcileReports({
          db: options.db,
          tenantId: result.tenantId,
          runId: result.runId,
          dir: options.reportDir,
          formats: options.formats ?? ['json', 'csv', 'html'],
        });
      }
      options.onRun?.({ result });
    } catch (error) {
      if (!stopped) logger.error({ err: error }, 'reconciliation failed');
      options.onRun?.({ error });
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      const controller = new AbortController();
      const done = runOnce(controller.signal).finally(() => {
        current = undefined;
        schedule(options.intervalMs);
      });
      current = { controller, done };
    }, delay);
    // A schedule alone does not keep the process alive.
    timer.unref();
  };
  schedule(options.initialDelayMs ?? options.intervalMs);

  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const running = current;
      if (running !== undefined) {
        running.controller.abort(new Error('stopped'));
        await running.done;
      }
    },
  };
}

/**
 * `MIGRATION_RECONCILE_*`: scheduled reconciliation of one mapping against one tenant. Off unless
 * an interval, a mapping and a source are all set.
 */
export const reconcileScheduleConfigSchema = z.object({
  MIGRATION_RECONCILE_INTERVAL_MS: positiveInt(
    3_600_000,
    'Pause between scheduled reconciliations (from the end of one to the start of the next).',
  ),
  MIGRATION_RECONCILE_MAPPING: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Mapping file of scheduled reconciliation; with MIGRATION_RECONCILE_SOURCE it turns the schedule on.',
    ),
  MIGRATION_RECONCILE_SOURCE: z.string().min(1).optional().meta({
    description: 'Legacy source URL scheduled reconciliation reads (credentials included).',
    secret: true,
  }),
  MIGRATION_RECONCILE_TENANT: z
    .string()
    .min(1)
    .optional()
    .describe('Tenant id or slug to reconcile (default: the mapping’s `tenant`).'),
  MIGRATION_RECONCILE_ENTITIES: z
    .string()
    .optional()
    .describe('Comma-separated entities to reconcile (default: all).'),
  MIGRATION_RECONCILE_REPORT_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('Directory each scheduled run writes its reports to (JSON, CSV, HTML).'),
  MIGRATION_RECONCILE_FORMATS: z
    .string()
    .default('json,csv,html')
    .describe('Report formats of scheduled runs: json, csv, html (comma-separated).'),
});

/** Schedule options from the configuration, or null when scheduled reconciliation is off. */
export function reconcileScheduleFrom(
  config: z.output<typeof reconcileScheduleConfigSchema>,
): Omit<ReconcileScheduleOptions, 'db' | 'logger'> | null {
  if (config.MIGRATION_RECONCILE_MAPPING === undefined || config.MIGRATION_RECONCILE_SOURCE === undefined) {
    return null;
  }
  const entities = (config.MIGRATION_RECONCILE_ENTITIES ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return {
    intervalMs: config.MIGRATION_RECONCILE_INTERVAL_MS,
    mappingPath: config.MIGRATION_RECONCILE_MAPPING,
    sourceUrl: config.MIGRATION_RECONCILE_SOURCE,
    ...(config.MIGRATION_RECONCILE_TENANT === undefined ? {} : { tenant: config.MIGRATION_RECONCILE_TENANT }),
    ...(entities.length === 0 ? {} : { entities }),
    ...(config.MIGRATION_RECONCILE_REPORT_DIR === undefined
      ? {}
      : { reportDir: config.MIGRATION_RECONCILE_REPORT_DIR }),
    formats: parseReportFormats(config.MIGRATION_RECONCILE_FORMATS),
  };
}
