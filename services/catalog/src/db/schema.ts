// Every table of the catalog schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { catalogSchema } from './catalog-schema.ts';

export { catalogSchema } from './catalog-schema.ts';
export { products, productCategories } from '../modules/products/products.table.ts';
export { categories } from '../modules/categories/categories.table.ts';
export { locations } from '../modules/locations/locations.table.ts';
export { stockLevels, stockMovements } from '../modules/stock/stock.table.ts';
export { reservations, reservationLines } from '../modules/reservations/reservations.table.ts';

const platform = platformTables(catalogSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const catalogPlatformTables = platform;
