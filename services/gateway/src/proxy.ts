import replyFrom from '@fastify/reply-from';
import { platformErrors, PROBLEM_CONTENT_TYPE, toProblem } from '@only/platform/errors';
import type { HttpApp, ReadinessCheck } from '@only/platform/http';

/** A service reached over HTTP. */
export interface ProxiedService {
  readonly name: string;
  /** Base URLs of its replicas, e.g. `http://127.0.0.1:3001`; requests are balanced across them. */
  readonly urls: readonly string[];
}

/** Headers a client must not smuggle to services: the gateway sets them. */
const HOP_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto'];

/**
 * Forwards `/api/<name>/*` to the service's base URL, body streamed through untouched. A service
 * that cannot be reached is a 502 problem; one that does not answer in time, a 504.
 */
export async function registerProxy(
  app: HttpApp,
  service: ProxiedService,
  limits: { timeoutMs: number; bodyLimitBytes: number },
): Promise<void> {
  const { timeoutMs, bodyLimitBytes } = limits;
  const bases = service.urls.map((url) => url.replace(/\/$/, ''));
  await app.register(
    async (scope) => {
      await scope.register(replyFrom, {
        // Several replicas: undici's balanced pool spreads requests and steers away from failures.
        base: bases.length === 1 ? bases[0] : [...bases],
        undici: { connections: 128, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      });
      // Leave request bodies as raw streams: the service parses and validates them.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (request, payload, done) => {
        // Streamed, so Fastify's body limit does not apply: refuse a declared size over it here.
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > bodyLimitBytes) {
          done(platformErrors.payload_too_large(`The body may be at most ${String(bodyLimitBytes)} bytes.`));
          return;
        }
        if (
          request.headers['content-length'] === undefined &&
          request.headers['transfer-encoding'] !== undefined
        ) {
          done(platformErrors.payload_too_large('Send bodies with a Content-Length.'));
          return;
        }
        done(null, payload);
      });
      scope.all('/*', { schema: { hide: true }, config: { idempotent: false } }, (request, reply) => {
        const rest = request.url.slice(`/api/${service.name}`.length) || '/';
        return reply.from(rest, {
          timeout: timeoutMs,
          rewriteRequestHeaders: (original, headers) => {
            const forwarded = Object.fromEntries(
              Object.entries(headers).filter(([name]) => !HOP_HEADERS.includes(name)),
            );
            return {
              ...forwarded,
              'x-request-id': request.id,
              'x-correlation-id': request.ctx.correlationId,
              'x-forwarded-for': original.ip,
              'x-forwarded-proto': request.protocol,
              'x-forwarded-host': request.host,
              'x-forwarded-prefix': `/api/${service.name}`,
            };
          },
          onError: (errorReply, { error }) => {
            const code = (error as Error & { code?: string }).code ?? '';
            const timedOut = /timeout/i.test(code) || /timeout/i.test(error.message);
            const problem = timedOut
              ? platformErrors.upstream_timeout(`${service.name} did not answer within ${timeoutMs} ms`)
              : platformErrors.bad_gateway(`${service.name} could not be reached`);
            request.log.warn({ upstream: service.name, err: error }, 'upstream request failed');
            void errorReply
              .code(problem.status)
              .type(PROBLEM_CONTENT_TYPE)
              .send(toProblem(problem, request.url.split('?')[0], request.id));
          },
        });
      });
    },
    { prefix: `/api/${service.name}` },
  );
}

/** Readiness of a proxied service: at least one replica answers its own `/health/ready`. */
export function upstreamReadiness(service: ProxiedService, timeoutMs = 1_500): ReadinessCheck {
  const ready = async (url: string) => {
    const response = await fetch(`${url.replace(/\/$/, '')}/health/ready`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${url}: ${String(response.status)}`);
  };
  return {
    name: service.name,
    check: async () => {
      await Promise.any(service.urls.map(ready));
      return true;
    },
  };
}
