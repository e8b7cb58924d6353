/**
 * The reporting service: read models kept from events (daily sales, order status counts,
 * customers) and the reports over them.
 * @module
 */
export {
  createReportingModule,
  type ReportingDependencies,
  type ReportingModule,
} from './reporting-module.ts';
export { buildApp } from './app.ts';
export { reportingConfigSchema, type ReportingConfig } from './config.ts';
export { reportingMigrations } from './migrations.ts';
export { REPORTING_CONSUMER, reportingConsumers } from './events/subscriptions.ts';
