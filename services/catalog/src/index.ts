/**
 * The catalog service: products, categories, stock per location, reservations, low-stock alerts.
 * @module
 */
export {
  createCatalogModule,
  type CatalogDependencies,
  type CatalogModule,
  type CatalogSettings,
} from './catalog-module.ts';
export { buildApp } from './app.ts';
export { catalogConfigSchema, catalogSettingsFrom, type CatalogConfig } from './config.ts';
export { catalogMigrations } from './migrations.ts';
export type {
  ReserveLine,
  ReserveStockInput,
  ReserveStockResult,
} from './modules/reservations/reservations.service.ts';
export type { Reservation } from './modules/reservations/reservations.dto.ts';
export type { ProductSelector } from './modules/products/products.service.ts';
export type { LookupResult, ProductAvailability } from './modules/products/products.dto.ts';
export { catalogErrors } from './errors.ts';
// The create contract, for bulk loaders that validate like the API does.
export { createProductBody } from './modules/products/products.dto.ts';
