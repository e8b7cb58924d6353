import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@only/platform/log';

/** A logger that writes nothing (set `TEST_LOG_LEVEL` to see lines). */
export function silentLogger(): Logger {
  return createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** A logger whose JSON lines are kept in memory, to assert on what was (not) logged. */
export function capturingLogger(level: 'trace' | 'debug' | 'info' = 'info'): {
  logger: Logger;
  lines: () => string[];
} {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ service: 'test', level, destination }), lines: () => [...lines] };
}
