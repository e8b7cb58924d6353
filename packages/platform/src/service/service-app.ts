import type { TokenVerifier } from '../auth/token-verifier.ts';
import { createHttpServer, type HttpApp, type ReadinessCheck } from '../http/index.ts';
import type { Logger } from '../log/logger.ts';
import { mountService, type ServiceModule } from './service-module.ts';

/**
 * A service as its own HTTP server (distributed mode, API tests): routes at the root, its own
 * `/docs`, health and metrics. Never listens by itself.
 */
export async function buildServiceApp(
  module: ServiceModule,
  options: {
    logger: Logger;
    /** Verifies the access tokens of requests to the module's routes. */
    auth: TokenVerifier;
    readinessChecks?: readonly ReadinessCheck[];
    version?: string;
  },
): Promise<HttpApp> {
  const app = await createHttpServer({
    logger: options.logger,
    docs: {
      title: `Only — ${module.name}`,
      description: module.description,
      version: options.version ?? '0.1.0',
    },
    readinessChecks: [...module.readinessChecks, ...(options.readinessChecks ?? [])],
  });
  await mountService(app, module, '', options.auth);
  return app;
}
