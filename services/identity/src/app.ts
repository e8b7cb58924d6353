import type { TokenVerifier } from '@only/platform/auth';
import type { HttpApp } from '@only/platform/http';
import { buildServiceApp } from '@only/platform/service';
import { createIdentityModule, type IdentityDependencies, type IdentityModule } from './identity-module.ts';

/**
 * The identity service as a standalone HTTP server (API tests, and the base of its own process):
 * routes at the root, its own `/docs`, health and metrics. Never listens by itself. Its routes
 * trust the module's own access tokens, read from its key store in-process, unless `auth` says
 * otherwise.
 */
export async function buildApp(
  deps: IdentityDependencies,
  auth?: TokenVerifier,
): Promise<{ app: HttpApp; module: IdentityModule }> {
  const module = createIdentityModule(deps);
  return {
    app: await buildServiceApp(module, { logger: deps.logger, auth: auth ?? module.tokenVerifier() }),
    module,
  };
}
