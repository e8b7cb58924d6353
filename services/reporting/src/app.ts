import type { TokenVerifier } from '@only/platform/auth';
import type { HttpApp } from '@only/platform/http';
import { buildServiceApp } from '@only/platform/service';
import {
  createReportingModule,
  type ReportingDependencies,
  type ReportingModule,
} from './reporting-module.ts';

/**
 * The reporting service as a standalone HTTP server (API tests, and the base of its own process):
 * routes at the root, guarded by `auth`, its own `/docs`, health and metrics. Never listens by itself.
 */
export async function buildApp(
  deps: ReportingDependencies,
  auth: TokenVerifier,
): Promise<{ app: HttpApp; module: ReportingModule }> {
  const module = createReportingModule(deps);
  return { app: await buildServiceApp(module, { logger: deps.logger, auth }), module };
}
