// How `only migrate` shows progress: bars with rows/s and ETA on a terminal, JSON lines otherwise.
import cliProgress from 'cli-progress';
import type { EntityCounts } from '../runs/runs.table.ts';
import type { MigrateProgress, MigrateResult } from './migrate-run.ts';

/** Receives progress events and prints the final summary. */
export interface ProgressDisplay {
  update(progress: MigrateProgress): void;
  /** Stops the bars (if any). */
  stop(): void;
}

/** Writes one line of text. */
export type LineWriter = (line: string) => void;

/** Progress bars (one per entity) on a TTY stream. */
export function barsDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format:
        '{entity} [{bar}] {value}/{total} rows | {rate} rows/s | ETA {eta_formatted} | quarantined {quarantined}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const byEntity = new Map<string, { bar: cliProgress.SingleBar; started: number; from: number }>();
  const payload = (entity: string, counts: EntityCounts, started: number, from: number) => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    return {
      entity: entity.padEnd(12),
      rate: Math.round((counts.read - from) / seconds),
      quarantined: counts.quarantined,
    };
  };
  return {
    update(progress) {
      if (progress.kind === 'entity_pending') return;
      if (progress.kind === 'entity_start') {
        const started = performance.now();
        const bar = bars.create(
          progress.total,
          progress.counts.read,
          payload(progress.entity, progress.counts, started, progress.counts.read),
        );
        byEntity.set(progress.entity, { bar, started, from: progress.counts.read });
        return;
      }
      const entry = byEntity.get(progress.entity);
      if (entry === undefined) return;
      entry.bar.update(
        progress.counts.read,
        payload(progress.entity, progress.counts, entry.started, entry.from),
      );
    },
    stop: () => {
      bars.stop();
    },
  };
}

/** One JSON object per line: for logs and pipes. */
export function jsonLinesDisplay(write: LineWriter): ProgressDisplay {
  let last = performance.now();
  return {
    update(progress) {
      // Batches at most once a second per process, so large runs do not flood the log.
      if (progress.kind === 'batch' && performance.now() - last < 1000) return;
      last = performance.now();
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          event: progress.kind,
          ...progress,
          kind: undefined,
        }),
      );
    },
    stop: () => undefined,
  };
}

/** The per-entity summary table at the end of a run. */
export function summaryLines(result: MigrateResult, dryRun: boolean): string[] {
  const head = `${'entity'.padEnd(12)} ${'read'.padStart(9)} ${(dryRun ? 'would load' : 'loaded').padStart(10)} ${'quarantined'.padStart(11)} ${'skipped'.padStart(9)}`;
  const lines = [head];
  for (const e of result.entities) {
    const c = e.counts;
    lines.push(
      e.status === 'pending'
        ? `${e.entity.padEnd(12)} pending: ${e.target} has no loader yet`
        : `${e.entity.padEnd(12)} ${String(c.read).padStart(9)} ${String(c.loaded).padStart(10)} ${String(c.quarantined).padStart(11)} ${String(c.skipped).padStart(9)}`,
    );
  }
  if (result.runId !== null) lines.push(`run ${result.runId}${result.resumed ? ' (resumed)' : ''}`);
  return lines;
}
