import type { TokenVerifier } from '@only/platform/auth';
import type { RouteOptions } from 'fastify';
import { createHttpServer, type HttpApp, type ReadinessCheck } from '@only/platform/http';
import type { Logger } from '@only/platform/log';
import { mountService, type ServiceModule } from '@only/platform/service';
import { z } from 'zod';
import type { TrustProxy } from './config.ts';
import { registerSecurityEdge, type SecurityEdgeOptions } from './edge/security-edge.ts';
import { registerProxy, upstreamReadiness, type ProxiedService } from './proxy.ts';

/** Options of {@link buildGateway}. */
export interface GatewayOptions {
  readonly logger: Logger;
  /** Services running in this process (embedded mode): mounted under `/api/<name>`. */
  readonly modules?: readonly ServiceModule[];
  /** Services running elsewhere (distributed mode): proxied under `/api/<name>`. */
  readonly upstreams?: readonly ProxiedService[];
  /** How long to wait for a proxied service. */
  readonly upstreamTimeoutMs?: number;
  /** `embedded` or `distributed`, shown at `/`. */
  readonly mode: 'embedded' | 'distributed';
  /** Verifies access tokens at the edge and in the mounted services. */
  readonly auth: TokenVerifier;
  /** Rate limits, address rules and allowed origins; generous defaults without. */
  readonly edge?: Partial<Omit<SecurityEdgeOptions, 'verifier'>>;
  /** Largest accepted request body, proxied ones included. */
  readonly bodyLimitBytes?: number;
  /** Proxies in front whose `X-Forwarded-For` is believed; none by default. */
  readonly trustProxy?: TrustProxy;
  /** Sees every route as it is registered (route-table checks in tests, diagnostics). */
  readonly onRoute?: (route: RouteOptions) => void;
}

/** Limits when the host sets none: generous for people, a brake for runaway scripts. */
export const DEFAULT_EDGE = {
  perIpPerMinute: 1_200,
  perTenantPerMinute: 6_000,
  ipRules: [],
  allowedOrigins: () => Promise.resolve(new Set<string>()),
} as const satisfies Omit<SecurityEdgeOptions, 'verifier'>;

/**
 * The API gateway: one origin for every service under `/api/<service>/…`. In embedded mode the
 * services' routes are mounted in this very server (no hop); in distributed mode requests are
 * proxied to each service's URL. Health, metrics and docs sit at the root.
 */
export async function buildGateway(options: GatewayOptions): Promise<HttpApp> {
  const modules = options.modules ?? [];
  const upstreams = options.upstreams ?? [];
  const readinessChecks: ReadinessCheck[] = [
    ...modules.flatMap((m) => m.readinessChecks),
    ...upstreams.map((u) => upstreamReadiness(u)),
  ];
  const app = await createHttpServer({
    logger: options.logger,
    docs: {
      title: 'Only API',
      description:
        'Order management. Every service is under `/api/<service>`. Errors are `application/problem+json`; every POST accepts an `Idempotency-Key`.',
      version: '0.1.0',
    },
    readinessChecks,
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  const observe = options.onRoute;
  if (observe !== undefined)
    app.addHook('onRoute', (route) => {
      observe(route);
    });
  await registerSecurityEdge(app, { ...DEFAULT_EDGE, ...options.edge, verifier: options.auth });

  const services = [
    ...modules.map((m) => ({ name: m.name, description: m.description, mode: 'in-process' as const })),
    ...upstreams.map((u) => ({
      name: u.name,
      description: `Proxied to ${u.urls.join(', ')}`,
      mode: 'proxied' as const,
    })),
  ];
  app.get(
    '/',
    {
      schema: {
        tags: ['gateway'],
        summary: 'What this gateway serves',
        response: {
          200: z.object({
            name: z.literal('Only'),
            mode: z.enum(['embedded', 'distributed']),
            docs: z.string(),
            health: z.string(),
            services: z.array(
              z.object({
                name: z.string(),
                path: z.string(),
                description: z.string(),
                mode: z.enum(['in-process', 'proxied']),
              }),
            ),
          }),
        },
      },
    },
    () => ({
      name: 'Only' as const,
      mode: options.mode,
      docs: '/docs',
      health: '/health/ready',
      services: services.map((s) => ({ ...s, path: `/api/${s.name}` })),
    }),
  );

  for (const module of modules) await mountService(app, module, `/api/${module.name}`, options.auth);
  for (const upstream of upstreams) {
    await registerProxy(app, upstream, {
      timeoutMs: options.upstreamTimeoutMs ?? 10_000,
      bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    });
  }
  return app;
}
