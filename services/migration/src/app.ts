import type { TokenVerifier } from '@only/platform/auth';
import type { HttpApp } from '@only/platform/http';
import { buildServiceApp } from '@only/platform/service';
import {
  createMigrationModule,
  type MigrationDependencies,
  type MigrationModule,
} from './migration-module.ts';

/**
 * The migration service as a standalone HTTP server (API tests, and the base of its own process):
 * routes at the root, guarded by `auth`, its own `/docs`, health and metrics. Never listens by itself.
 */
export async function buildApp(
  deps: MigrationDependencies,
  auth: TokenVerifier,
): Promise<{ app: HttpApp; module: MigrationModule }> {
  const module = createMigrationModule(deps);
  return { app: await buildServiceApp(module, { logger: deps.logger, auth }), module };
}
