import type { TokenVerifier } from '@only/platform/auth';
import type { HttpApp } from '@only/platform/http';
import { buildServiceApp } from '@only/platform/service';
import {
  createNotificationsModule,
  type NotificationsDependencies,
  type NotificationsModule,
} from './notifications-module.ts';

/**
 * The notifications service as a standalone HTTP server (API tests, and the base of its own
 * process): routes at the root, guarded by `auth`, its own `/docs`, health and metrics. Never
 * listens by itself.
 */
export async function buildApp(
  deps: NotificationsDependencies,
  auth: TokenVerifier,
): Promise<{ app: HttpApp; module: NotificationsModule }> {
  const module = createNotificationsModule(deps);
  return { app: await buildServiceApp(module, { logger: deps.logger, auth }), module };
}
