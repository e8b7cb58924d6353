import { ALL_TENANTS, APP_ROLE } from './tenant-scope.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Name of the policy every tenant-owned table carries. */
export const TENANT_POLICY = 'tenant_isolation';

/**
 * SQL that puts every table of `schema` with a `tenant_id` column under row-level security: the
 * table is visible and writable to {@link APP_ROLE} only for rows of the tenant in `app.tenant_id`
 * (or all, for `*`), and FORCE makes that hold for the owner too. Idempotent, so it runs after every
 * migration and covers tables that later migrations add. The role is created when missing; where
 * the connecting user may not create roles, an administrator creates it (and grants it to that
 * user) once.
 */
export function rowLevelSecuritySql(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`Not a schema name: "${schema}"`);
  const tenantMatches = `tenant_id = current_setting('app.tenant_id', true) or current_setting('app.tenant_id', true) = '${ALL_TENANTS}'`;
  return `
do $rls$
declare
  t record;
begin
  if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
    begin
      create role ${APP_ROLE} nologin;
    exception when duplicate_object or unique_violation then null; -- created by a concurrent migrator
    end;
  end if;
  execute 'grant usage on schema ${schema} to ${APP_ROLE}';
  for t in
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = '${schema}' and c.relkind in ('r', 'p') and c.relname <> '__migrations'
  loop
    execute format('grant select, insert, update, delete on %I.%I to ${APP_ROLE}', '${schema}', t.relname);
  end loop;
  execute 'grant usage, select on all sequences in schema ${schema} to ${APP_ROLE}';
  for t in
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = '${schema}' and c.relkind in ('r', 'p')
  loop
    execute format('alter table %I.%I enable row level security', '${schema}', t.relname);
    execute format('alter table %I.%I force row level security', '${schema}', t.relname);
    execute format('drop policy if exists ${TENANT_POLICY} on %I.%I', '${schema}', t.relname);
    execute format(
      'create policy ${TENANT_POLICY} on %I.%I using (${tenantMatches.replaceAll("'", "''")}) with check (${tenantMatches.replaceAll("'", "''")})',
      '${schema}', t.relname);
  end loop;
end
$rls$;`;
}

/** The role and tenant settings a connection needs for a scope; `undefined` is the connection's own role. */
export interface SessionScope {
  readonly role: string;
  readonly tenant: string;
}

const OWN_ROLE: SessionScope = { role: 'none', tenant: '' };

/** What to set on a connection for work in `scope` (see `currentTenantScope`). */
export function sessionScopeFor(scope: string | undefined): SessionScope {
  return scope === undefined ? OWN_ROLE : { role: APP_ROLE, tenant: scope };
}

/**
 * The statement that applies `scope` to a connection: for the session (`local` false, on a pooled
 * connection whose state is tracked) or for the open transaction only (`local` true).
 */
export function applyScopeStatement(
  scope: SessionScope,
  local: boolean,
): { text: string; values: [string, string] } {
  return {
    text: `select set_config('role', $1, ${String(local)}), set_config('app.tenant_id', $2, ${String(local)})`,
    values: [scope.role, scope.tenant],
  };
}
