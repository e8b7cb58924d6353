import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { metricsRegistry, collectProcessMetrics } from '../metrics/index.ts';
import { registerApiDocs, type ApiDocsOptions } from './docs.ts';
import { problemErrorHandler, problemNotFoundHandler } from './error-handler.ts';
import { registerHealthRoutes, type ReadinessCheck } from './health.ts';
import { recordRequest } from './metrics-hooks.ts';
import { registerProblemRoutes } from './problems-routes.ts';
import { requestIdFrom, resolveRequestContext } from './request-context.ts';
import type { HttpApp } from './types.ts';
import { zodValidatorCompiler } from './validation.ts';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  readonly logger: Logger;
  /** OpenAPI title and description; the docs are served at `/docs`. */
  readonly docs: ApiDocsOptions;
  /**
   * Dependencies whose health decides `/health/ready`. The array is read on every probe, so
   * checks may be added after the server is created.
   */
  readonly readinessChecks?: ReadinessCheck[];
  /** Largest accepted request body. */
  readonly bodyLimitBytes?: number;
  /**
   * Proxies whose `X-Forwarded-For` decides `request.ip`: none (default), all, the nearest N hops,
   * or the listed addresses/CIDRs.
   */
  readonly trustProxy?: boolean | number | string[];
}

/** Fastify's types miss its hop-count form; a function says the same. */
function trustProxyOption(value: HttpServerOptions['trustProxy']) {
  if (typeof value !== 'number') return value ?? false;
  return (_address: string, hop: number) => hop < value;
}

/**
 * The Fastify server every Only HTTP process starts from: Zod validation and serialization,
 * request ids (`x-request-id`, honoured when sent), the request context (tenant, actor,
 * correlation), one problem+json error handler, `/health/live`, `/health/ready`, `/metrics` with
 * request counts and durations per route and status, `/problems`, and OpenAPI 3.1 at `/docs`.
 * It never listens by itself: callers `listen()` or `inject()`.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  collectProcessMetrics();
  // Typed as Fastify's logger so that route handlers see the common logger interface.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    // One access line per request is written by the onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => requestIdFrom(req.headers['x-request-id'], uuidv7),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: trustProxyOption(options.trustProxy),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: any other body (text/plain included) is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(problemNotFoundHandler);

  app.decorateRequest('ctx', undefined as never);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    request.ctx = resolveRequestContext(request);
  });
  app.addHook('onResponse', async (request, reply) => {
    recordRequest(request, reply);
  });

  await registerApiDocs(app, options.docs);
  registerHealthRoutes(app, options.readinessChecks ?? []);
  registerProblemRoutes(app);
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
  return app;
}
