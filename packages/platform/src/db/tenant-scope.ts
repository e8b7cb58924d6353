import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The PostgreSQL role tenant-scoped work runs as. It owns nothing and cannot bypass row-level
 * security, so a query that forgets its tenant filter still sees only the scope's tenant.
 */
export const APP_ROLE = 'only_app';

/** The `app.tenant_id` value the policies read as "every tenant" (platform work across tenants). */
export const ALL_TENANTS = '*';

const scopes = new AsyncLocalStorage<string>();

/**
 * Runs `work` with database access limited to `tenantId`: every statement it issues — in or out of
 * a transaction — runs as {@link APP_ROLE} with `app.tenant_id` set, so row-level security hides
 * and refuses other tenants' rows even where a query lacks its own tenant filter.
 */
export function withTenantScope<T>(tenantId: string, work: () => T): T {
  if (tenantId === '' || tenantId === ALL_TENANTS) throw new Error(`Not a tenant id: "${tenantId}"`);
  return scopes.run(tenantId, work);
}

/**
 * Runs `work` as {@link APP_ROLE} across all tenants: for the few deliberate cross-tenant reads of a
 * request (a login looks a user up before any token names the tenant). Still no DDL, no bypass of
 * constraints; only the tenant filter of the policies is lifted.
 */
export function withAllTenantsScope<T>(work: () => T): T {
  return scopes.run(ALL_TENANTS, work);
}

/**
 * The scope database access in this async context runs under: a tenant id, {@link ALL_TENANTS}, or
 * `undefined` outside any scope (migrations, seeding, relays, tests), where the connection's own
 * role applies.
 */
export function currentTenantScope(): string | undefined {
  return scopes.getStore();
}
