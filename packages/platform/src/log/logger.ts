import { pino, type Bindings, type ChildLoggerOptions, type Logger, type LoggerOptions } from 'pino';
import { redact } from './redaction.ts';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Service name, written as `service` on every line. */
  readonly service: string;
  readonly level?: LoggerOptions['level'];
  /** Where lines go; standard output by default. Tests pass a stream to read lines back. */
  readonly destination?: NodeJS.WritableStream;
}

/** A JSON logger (pino) with secrets redacted and the service name on every line. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Redaction by key name at any depth, in log objects, child bindings and serialized errors.
    // (pino's path-based `redact` was a third of the CPU of a request with this many keys.)
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object),
    },
    serializers: { err: redactedError, error: redactedError },
  };
  const logger = options.destination ? pino(config, options.destination) : pino(config);
  // Pino skips formatters for child bindings. Children are created from their parent's prototype
  // chain, so this override applies to every descendant.
  const originalChild = (Object.getPrototypeOf(logger) as { child: Logger['child'] }).child;
  function redactedChild<C extends string = never>(
    this: Logger,
    bindings: Bindings,
    childOptions?: ChildLoggerOptions<C>,
  ): Logger<C> {
    return Reflect.apply(originalChild, this, [redact(bindings), childOptions]);
  }
  logger.child = redactedChild;
  return logger;
}

/** Pino's error serializer (type, message, stack, own fields), with sensitive fields hidden. */
function redactedError(error: Error): Record<string, unknown> {
  // The serialized error has pino's own prototype: copy it to a plain object to walk it.
  return redact({ ...pino.stdSerializers.err(error) });
}

/** Hides the password of a connection URL before it is logged or shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

export type { Logger };
