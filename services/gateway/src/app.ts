import { createHttpServer, type HttpApp, type ReadinessCheck } from '@only/platform/http';
import type { Logger } from '@only/platform/log';
import { mountService, type ServiceModule } from '@only/platform/service';
import { z } from 'zod';
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
}

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
  });

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

  for (const module of modules) await mountService(app, module, `/api/${module.name}`);
  for (const upstream of upstreams) await registerProxy(app, upstream, options.upstreamTimeoutMs ?? 10_000);
  return app;
}
