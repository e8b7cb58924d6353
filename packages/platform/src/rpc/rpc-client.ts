import { connect } from 'node:net';
import type {
  DescMessage,
  DescMethod,
  DescMethodUnary,
  DescService,
  MessageInitShape,
  MessageShape,
} from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import { platformErrors } from '../errors/platform-errors.ts';
import type { Logger } from '../log/index.ts';
import { RPC_HEADERS, type CallContext } from './call-context.ts';
import type { RpcRegistry } from './in-process.ts';
import { codeName, toConnectError, toRpcCallError } from './rpc-errors.ts';
import { rpcMetrics } from './rpc-metrics.ts';

/** Where a client's calls go. */
export type RpcTarget =
  /** The implementation registered in this process (embedded mode). */
  | { readonly kind: 'in-process'; readonly registry: RpcRegistry }
  /** gRPC over HTTP/2 to these base URLs, one call after the other in turn (distributed mode). */
  | { readonly kind: 'grpc'; readonly urls: readonly string[] };

/** Options of {@link createRpcClient}. */
export interface RpcClientOptions {
  /** The service called, as metrics, logs and problems name it: `catalog`. */
  readonly dependency: string;
  readonly target: RpcTarget;
  /** Deadline of a call that sets none, retries included. Default 2 000 ms. */
  readonly deadlineMs?: number;
  /** Further attempts of a safe method after a transient failure. Default 2. */
  readonly maxRetries?: number;
  /** First and longest delay before a retry (exponential, with decorrelated jitter). Default 20 / 200 ms. */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  /** Consecutive failed calls (unavailable, deadline, internal) that open the circuit. Default 5. */
  readonly breakerFailures?: number;
  /** How long an open circuit fails fast before one trial call may pass (half-open). Default 5 000 ms. */
  readonly breakerHalfOpenAfterMs?: number;
  /**
   * The token of a call whose context carries none (work no user started: events, jobs): a
   * machine token of this service for the context's tenant. Without it such calls go out
   * unauthenticated and are refused.
   */
  readonly machineToken?: (ctx: CallContext) => Promise<string | undefined> | string | undefined;
  /** Where the circuit opening and closing is logged. */
  readonly logger?: Logger;
}

/** Options of one call. */
export interface RpcCallOptions {
  /** This call's deadline instead of the dependency's default; a call never goes without one. */
  readonly timeoutMs?: number;
  /** Cancels the call (CANCELED). */
  readonly signal?: AbortSignal;
}

/**
 * A typed client: one function per method, taking the caller's context first, like service
 * functions do. A failure rejects with an `RpcCallError` (an `AppError`) carrying the problem the
 * other service answered with, e.g. `catalog.out_of_stock`, or 503/504 problems when it could not
 * answer.
 */
export type RpcClient<S extends DescService> = {
  readonly [K in keyof S['method']]: S['method'][K] extends DescMethodUnary<infer I, infer O>
    ? (ctx: CallContext, request: MessageInitShape<I>, options?: RpcCallOptions) => Promise<MessageShape<O>>
    : never;
} & {
  /** The circuit breaker's state: `closed`, `half-open` (one trial call) or `open` (failing fast). */
  readonly circuitState: () => 'closed' | 'half-open' | 'open';
  /** Ends the client's HTTP/2 sessions; calls made afterwards reconnect. */
  readonly close: () => void;
};

/** Codes that say the dependency is unwell (not that the request was wrong): they count toward the breaker. */
const FAILURE_CODES: ReadonlySet<Code> = new Set([
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Internal,
  Code.Unknown,
  Code.DataLoss,
]);
/** Codes worth another attempt, and only for safe methods. */
const TRANSIENT_CODES: ReadonlySet<Code> = new Set([Code.Unavailable, Code.DeadlineExceeded]);

/**
 * A method is safe to call again if its contract says so: `idempotency_level` NO_SIDE_EFFECTS
 * (reads) or IDEMPOTENT (commands the server deduplicates, by idempotency key or natural key).
 */
export function isSafeMethod(method: DescMethod): boolean {
  return method.idempotency !== MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN;
}

function isConnectErrorWith(codes: ReadonlySet<Code>) {
  return (error: Error) => error instanceof ConnectError && codes.has(error.code);
}

const CIRCUIT_STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
} as const;
const CIRCUIT_GAUGE = { closed: 0, 'half-open': 1, open: 2 } as const;

function transportsFor(
  target: RpcTarget,
  service: DescService,
): { transports: Transport[]; sessions: Http2SessionManager[] } {
  if (target.kind === 'in-process') return { transports: [target.registry.transport(service)], sessions: [] };
  if (target.urls.length === 0) throw new Error(`No gRPC URL for ${service.typeName}`);
  const sessions = target.urls.map(
    // A ping on a quiet connection finds peers that vanished without closing it (node killed).
    // No Nagle: a call is a HEADERS and a DATA frame written apart, and small writes must not wait
    // for the peer's delayed acknowledgement.
    (url) =>
      new Http2SessionManager(
        url,
        { pingIntervalMs: 15_000, pingTimeoutMs: 5_000 },
        {
          createConnection: (authority: URL) =>
            connect({
              host: authority.hostname,
              port: Number(authority.port === '' ? 80 : authority.port),
              noDelay: true,
            }),
        },
      ),
  );
  const transports = target.urls.map((baseUrl, i) =>
    createGrpcTransport({
      baseUrl,
      sessionManager: sessions[i],
      // Internal messages are small and the network close: compression would only cost CPU.
      acceptCompression: [],
    }),
  );
  return { transports, sessions };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A client of `service`: calls go in-process or over gRPC (HTTP/2) as `target` says, each with a
 * deadline (the dependency's default unless the call sets its own; retries included); safe
 * methods (see {@link isSafeMethod}) are retried on UNAVAILABLE and DEADLINE_EXCEEDED with
 * exponential backoff and jitter while the deadline allows, others never; a circuit breaker
 * per client (one client per dependency) opens after consecutive failures and then fails fast
 * with UNAVAILABLE until a trial call succeeds. Each call carries the caller's token (or the
 * machine token), tenant, correlation id and W3C trace context as headers, and is counted and
 * timed by service, method and code.
 */
export function createRpcClient<S extends DescService>(service: S, options: RpcClientOptions): RpcClient<S> {
  const { dependency } = options;
  const logger = options.logger?.child({ dependency });
  const deadlineMs = positive(options.deadlineMs) ?? 2_000;
  const { transports, sessions } = transportsFor(options.target, service);
  let turn = 0;
  const nextTransport = (): Transport => {
    turn = (turn + 1) % transports.length;
    return transports[turn] ?? (transports[0] as Transport);
  };

  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isConnectErrorWith(FAILURE_CODES)), {
    halfOpenAfter: positive(options.breakerHalfOpenAfterMs) ?? 5_000,
    breaker: new ConsecutiveBreaker(positive(options.breakerFailures) ?? 5),
  });
  const circuitState = () => CIRCUIT_STATES[breaker.state];
  rpcMetrics.circuitState.set({ dependency }, 0);
  breaker.onStateChange(() => {
    rpcMetrics.circuitState.set({ dependency }, CIRCUIT_GAUGE[circuitState()]);
  });
  breaker.onBreak(() => {
    logger?.warn('rpc circuit open: calls fail fast until a trial call succeeds');
  });
  breaker.onReset(() => {
    logger?.info('rpc circuit closed');
  });
  const circuitOpen = () =>
    toConnectError(
      platformErrors.unavailable(`The ${dependency} service is not available right now.`, {
        dependency,
        circuit: 'open',
      }),
    );

  const backoff = new ExponentialBackoff({
    initialDelay: options.retryDelayMs?.initial ?? 20,
    maxDelay: options.retryDelayMs?.max ?? 200,
  });
  const retries = new Map<string, RetryPolicy>();
  for (const method of service.methods) {
    if (method.methodKind !== 'unary' || !isSafeMethod(method)) continue;
    const policy = retry(handleWhen(isConnectErrorWith(TRANSIENT_CODES)), {
      maxAttempts: options.maxRetries ?? 2,
      backoff,
    });
    policy.onRetry((reason) => {
      const code =
        'error' in reason && reason.error instanceof ConnectError ? reason.error.code : Code.Unknown;
      rpcMetrics.clientRetries.inc({ service: service.typeName, method: method.name, code: codeName(code) });
    });
    retries.set(method.name, policy);
  }

  const headersFor = async (ctx: CallContext): Promise<Headers> => {
    const headers = new Headers();
    const token = ctx.accessToken ?? (await options.machineToken?.(ctx));
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    headers.set(RPC_HEADERS.tenant, ctx.tenantId);
    headers.set(RPC_HEADERS.correlationId, ctx.correlationId);
    if (ctx.trace !== undefined) {
      headers.set(RPC_HEADERS.traceparent, ctx.trace.traceparent);
      if (ctx.trace.tracestate !== undefined) headers.set(RPC_HEADERS.tracestate, ctx.trace.tracestate);
    }
    return headers;
  };

  async function call<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    ctx: CallContext,
    request: MessageInitShape<I>,
    callOptions: RpcCallOptions | undefined,
  ): Promise<MessageShape<O>> {
    const started = performance.now();
    const timeoutMs = positive(callOptions?.timeoutMs) ?? deadlineMs;
    const deadlineAt = Date.now() + timeoutMs;
    let code: Code | 'ok' = 'ok';
    try {
      const headers = await headersFor(ctx);
      const attempt = async () => {
        const remaining = deadlineAt - Date.now();
        if (remaining <= 0)
          throw new ConnectError('the deadline passed before the call', Code.DeadlineExceeded);
        const response = await nextTransport().unary(
          method,
          callOptions?.signal,
          remaining,
          headers,
          request,
        );
        return response.message;
      };
      const guarded = () => breaker.execute(attempt);
      const policy = retries.get(method.name);
      // The deadline also ends retrying: no attempt starts once it passed.
      return await (policy === undefined
        ? guarded()
        : policy.execute(guarded, AbortSignal.timeout(timeoutMs)));
    } catch (error) {
      const failure =
        error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError ? circuitOpen() : error;
      const rpcError = toRpcCallError(failure, dependency);
      code = rpcError.rpcCode;
      logger?.debug({ method: method.name, code: codeName(code), problem: rpcError.code }, 'rpc call failed');
      throw rpcError;
    } finally {
      const labels = { service: service.typeName, method: method.name, code: codeName(code) };
      rpcMetrics.clientCalls.inc(labels);
      rpcMetrics.clientDuration.observe(labels, (performance.now() - started) / 1000);
    }
  }

  const client: Record<string, unknown> = {
    circuitState,
    close: () => {
      for (const session of sessions) session.abort();
    },
  };
  for (const method of service.methods) {
    if (method.methodKind !== 'unary') continue;
    client[method.localName] = (
      ctx: CallContext,
      request: MessageInitShape<DescMessage>,
      o?: RpcCallOptions,
    ) => call(method as DescMethodUnary, ctx, request, o);
  }
  return client as RpcClient<S>;
}
