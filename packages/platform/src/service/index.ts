/**
 * Service wiring: the kernel every service gets (outbox, relay, inbox, idempotency,
 * housekeeping), the module shape hosts mount, and the runtime of a service as its own process.
 * @module
 */
export { createServiceKernel, type ServiceKernel, type ServiceKernelOptions } from './service-kernel.ts';
export { mountService, startModules, type ServiceModule } from './service-module.ts';
export type { ServiceDependencies } from './service-dependencies.ts';
export { buildServiceApp } from './service-app.ts';
export { serviceProcessConfigSchema, type ServiceProcessConfig } from './service-config.ts';
export { runServiceProcess, type ServiceProcessDefinition } from './run-service-process.ts';
export { migrationsAppliedCheck } from './migration-check.ts';
