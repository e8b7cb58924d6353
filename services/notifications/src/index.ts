/**
 * The notifications service: templates per tenant and language, email over SMTP, SMS through an
 * HTTP provider, in-app notifications with a live stream, the delivery log, user preferences.
 * @module
 */
export {
  createNotificationsModule,
  type NotificationsDependencies,
  type NotificationsModule,
  type NotificationsSettings,
} from './notifications-module.ts';
export { buildApp } from './app.ts';
export {
  notificationsConfigSchema,
  notificationsChannelConfigSchema,
  notificationsSettingsFrom,
  appUrlFromIssuer,
  type NotificationsConfig,
} from './config.ts';
export { notificationsMigrations } from './migrations.ts';
export { NOTIFICATIONS_CONSUMER, notificationsConsumers } from './events/subscriptions.ts';
export { notificationsErrors } from './errors.ts';
