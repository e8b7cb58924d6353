// Every table of the reporting schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { reportingSchema } from './reporting-schema.ts';

export { reportingSchema } from './reporting-schema.ts';
export { dailySales } from '../modules/sales/sales.table.ts';
export { orderStates, orderStatusCounts } from '../modules/orders/orders.table.ts';
export { customerStates, customerCounts } from '../modules/customers/customers.table.ts';

// Reporting emits no events and takes no POSTs, but the kernel (inbox, housekeeping) works over
// all three platform tables, so the schema has them like every service's.
const platform = platformTables(reportingSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const reportingPlatformTables = platform;
