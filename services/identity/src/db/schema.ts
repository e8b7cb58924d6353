// Every table of the identity schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { identitySchema } from './identity-schema.ts';

export { identitySchema } from './identity-schema.ts';
export { tenants } from '../modules/tenants/tenants.table.ts';
export { users } from '../modules/users/users.table.ts';
export { oneTimeTokens } from '../modules/account/account.table.ts';
export { roles } from '../modules/roles/roles.table.ts';
export { apiClients, firstPartyClients } from '../modules/clients/clients.table.ts';
export { signingKeys } from '../modules/keys/keys.table.ts';
export { refreshTokens, unknownAccountFailures } from '../modules/tokens/tokens.table.ts';
export { auditLog } from '../modules/audit/audit.table.ts';

const platform = platformTables(identitySchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const identityPlatformTables = platform;
