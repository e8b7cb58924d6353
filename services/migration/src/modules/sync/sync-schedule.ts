// Continuous sync: run, wait, run again — never two at once; stop() ends the wait or the run in
// progress (between batches: the pass resumes next time) and waits for it.
import type { SyncResult } from './sync-run.ts';

/** Options of {@link startSyncSchedule}. */
export interface SyncScheduleOptions {
  /** Pause between the end of one sync and the start of the next. */
  readonly intervalMs: number;
  /** One sync; stops between batches once `signal` is aborted. */
  readonly run: (signal: AbortSignal) => Promise<SyncResult>;
  readonly onRun?: (result: SyncResult) => void;
  /** A failed sync (already recorded and alerted); the schedule goes on. */
  readonly onError?: (error: unknown) => void;
}

/** A running schedule. */
export interface SyncSchedule {
  /** Ends the schedule: aborts a sync in progress and resolves once it has stopped. */
  stop(): Promise<void>;
  /** Resolves when the schedule ended (after `stop`). */
  readonly done: Promise<void>;
}

/** Starts syncing now and then every `intervalMs` after the previous sync ended. */
export function startSyncSchedule(options: SyncScheduleOptions): SyncSchedule {
  const controller = new AbortController();
  const { signal } = controller;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // Read through a function: the linter cannot see that `stop()` aborts while a sync is awaited.
  const stopped = () => signal.aborted;
  const loop = async () => {
    while (!stopped()) {
      try {
        const result = await options.run(signal);
        options.onRun?.(result);
      } catch (error) {
        if (!stopped()) options.onError?.(error);
      }
      if (stopped()) break;
      await sleep(options.intervalMs);
    }
  };
  const done = loop();
  return {
    done,
    async stop() {
      controller.abort(new Error('The sync schedule was stopped'));
      wake?.();
      await done;
    },
  };
}

/** `30s`, `5m`, `1h`, `500ms` or plain milliseconds → milliseconds; null when not such a duration. */
export function parseInterval(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  const ms = Math.round(Number(match[1]) * unit);
  return ms >= 1 ? ms : null;
}
