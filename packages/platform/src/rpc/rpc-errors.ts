import { Code, ConnectError } from '@connectrpc/connect';
import type { JsonObject } from '@bufbuild/protobuf';
import { ErrorDetailSchema, type ErrorDetail } from '@only/contracts/rpc';
import { AppError, isAppError } from '../errors/app-error.ts';
import { platformErrors } from '../errors/platform-errors.ts';

/**
 * The status code a problem travels with, from its HTTP status (the table is documented on
 * `only.rpc.v1.ErrorDetail`). The code tells a client how to react; the detail's problem code
 * tells what happened.
 */
export function codeForStatus(status: number): Code {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return Code.InvalidArgument;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
    case 410:
      return Code.NotFound;
    case 405:
    case 501:
      return Code.Unimplemented;
    case 408:
    case 504:
      return Code.DeadlineExceeded;
    case 429:
      return Code.ResourceExhausted;
    case 499:
      return Code.Canceled;
    case 502:
    case 503:
      return Code.Unavailable;
    default:
      return status >= 500 ? Code.Internal : Code.FailedPrecondition;
  }
}

/** `DeadlineExceeded` → `deadline_exceeded`: the label of a code in metrics and problem documents. */
export function codeName(code: Code | 'ok'): string {
  if (code === 'ok') return 'ok';
  return Code[code].replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
}

/** Extensions as a protobuf `Struct`: JSON values only (dates and bigints become strings, functions vanish). */
function jsonExtensions(extensions: Readonly<Record<string, unknown>>): JsonObject | undefined {
  if (Object.keys(extensions).length === 0) return undefined;
  const json = JSON.stringify(extensions, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return JSON.parse(json) as JsonObject;
}

/**
 * The error a server answers with. An `AppError` travels as its status code plus an
 * `ErrorDetail` naming its problem; a `ConnectError` thrown on purpose passes unchanged; anything
 * else is an internal error that reveals nothing (the caller logs it with its stack).
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const appError = isAppError(error)
    ? error
    : platformErrors.internal('An unexpected error occurred. Quote the request id when reporting it.');
  const extensions = jsonExtensions(appError.extensions);
  return new ConnectError(appError.detail ?? appError.title, codeForStatus(appError.status), undefined, [
    {
      desc: ErrorDetailSchema,
      value: {
        code: appError.code,
        status: appError.status,
        title: appError.title,
        ...(appError.detail === undefined ? {} : { detail: appError.detail }),
        ...(extensions === undefined ? {} : { extensions }),
      },
    },
  ]);
}

/**
 * A failed internal call, as the caller sees it: the problem the other service answered with
 * (same code, status, title, detail and extensions, so it renders as the same problem document),
 * or, for failures that never reached a handler, the platform problem for its status code —
 * `platform.upstream_timeout` (504) for an expired deadline, `platform.unavailable` (503) for an
 * unreachable service or an open circuit, `platform.bad_gateway` (502) otherwise.
 */
export class RpcCallError extends AppError {
  /** The status code of the call. */
  readonly rpcCode: Code;
  /** The service called: `catalog`. */
  readonly dependency: string;

  constructor(appError: AppError, rpcCode: Code, dependency: string, cause: ConnectError) {
    super(
      appError.code,
      { status: appError.status, title: appError.title },
      appError.detail,
      { ...appError.extensions },
      { cause },
    );
    this.name = 'RpcCallError';
    this.rpcCode = rpcCode;
    this.dependency = dependency;
  }
}

function fromDetail(detail: ErrorDetail): AppError {
  return new AppError(
    detail.code,
    { status: detail.status, title: detail.title },
    detail.detail,
    detail.extensions ?? {},
  );
}

function fromCode(error: ConnectError, dependency: string): AppError {
  const extensions = { dependency, rpcCode: codeName(error.code) };
  switch (error.code) {
    case Code.DeadlineExceeded:
      return platformErrors.upstream_timeout(`The ${dependency} service did not answer in time.`, extensions);
    case Code.Unavailable:
    case Code.ResourceExhausted:
    case Code.Canceled:
      return platformErrors.unavailable(`The ${dependency} service is not available right now.`, extensions);
    default:
      return platformErrors.bad_gateway(`The ${dependency} service failed.`, extensions);
  }
}

/** The caller's view of a failed call to `dependency` (see {@link RpcCallError}). */
export function toRpcCallError(error: unknown, dependency: string): RpcCallError {
  if (error instanceof RpcCallError) return error;
  const connectError = ConnectError.from(error);
  const [detail] = connectError.findDetails(ErrorDetailSchema);
  const appError = detail === undefined ? fromCode(connectError, dependency) : fromDetail(detail);
  return new RpcCallError(appError, connectError.code, dependency, connectError);
}
