/** What a caller may learn about a failure: stable code, HTTP status, human title and detail. */
export interface ErrorSpec {
  /** HTTP status the error renders with. */
  readonly status: number;
  /** Short, stable, human-readable summary of the problem type. */
  readonly title: string;
  /** Longer explanation, shown at `/problems/<code>`. */
  readonly description?: string;
}

/** One invalid field of a request: where it is, which rule it broke, and a readable message. */
export interface FieldViolation {
  /** Dotted path of the field, with array indexes in brackets: `lines[0].quantity`. */
  readonly field: string;
  /** Part of the request the field is in. */
  readonly in: 'body' | 'query' | 'params' | 'headers';
  /** Machine-readable name of the rule that failed, e.g. `too_small`, `invalid_format`, `required`. */
  readonly rule: string;
  readonly message: string;
}

/**
 * The one error type of the platform. Everything a service throws on purpose is an `AppError`;
 * the HTTP layer renders it as `application/problem+json` (RFC 9457).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  /** Extra members of the problem document, such as `currentState` or `errors`. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    spec: ErrorSpec,
    detail?: string,
    extensions: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(detail ?? spec.title, options);
    this.name = 'AppError';
    this.code = code;
    this.status = spec.status;
    this.title = spec.title;
    this.detail = detail;
    this.extensions = extensions;
  }

  /** True for 4xx: the caller's mistake, logged at a low level and never as a crash. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

/** Narrowing helper that also works across module copies. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
