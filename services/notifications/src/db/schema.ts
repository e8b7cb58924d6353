// Every table of the notifications schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { notificationsSchema } from './notifications-schema.ts';

export { notificationsSchema } from './notifications-schema.ts';
export {
  tenantProfiles,
  staffUsers,
  staffRoles,
  customerContacts,
  orderSummaries,
} from '../modules/directory/directory.table.ts';
export { templates } from '../modules/templates/templates.table.ts';
export { preferences } from '../modules/preferences/preferences.table.ts';
export { inAppNotifications } from '../modules/in-app/in-app.table.ts';
export { deliveries, deliveryAttempts } from '../modules/deliveries/deliveries.table.ts';

const platform = platformTables(notificationsSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const notificationsPlatformTables = platform;
