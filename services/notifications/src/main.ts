// The notifications service as its own process (distributed mode).
import { loadConfig } from '@only/platform/config';
import { runServiceProcess } from '@only/platform/service';
import { appUrlFromIssuer, notificationsConfigSchema, notificationsSettingsFrom } from './config.ts';
import { createNotificationsModule } from './notifications-module.ts';

await runServiceProcess({
  name: 'notifications',
  configSchema: notificationsConfigSchema,
  port: (config) => config.NOTIFICATIONS_PORT,
  // runServiceProcess has validated the whole configuration (and exited on errors) before this runs.
  create: (deps) => {
    const config = loadConfig('notifications', notificationsConfigSchema);
    return createNotificationsModule({
      ...deps,
      ...notificationsSettingsFrom(config, { appUrl: appUrlFromIssuer(config.AUTH_ISSUER) }),
    });
  },
});
