import { roleCreatedV1, roleDeletedV1, roleUpdatedV1 } from '@only/contracts/identity';
import { BUILT_IN_ROLES, isBuiltInRole, type Permission } from '@only/contracts/auth';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { platformErrors } from '@only/platform/errors';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { identityErrors } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  toRole,
  toRoleSnapshot,
  type CreateRoleInput,
  type Role,
  type UpdateRoleInput,
} from './roles.dto.ts';
import type { RolesRepository } from './roles.repository.ts';

const NAME_INDEX = 'roles_tenant_name_key';

function nameTaken(name: string) {
  return identityErrors.role_name_taken(`A role named ${name} already exists`, { field: 'name' });
}

/** The permissions a caller holds: what they may grant to others. */
export type Grantable = ReadonlySet<string>;

/**
 * Refuses to grant permissions the granting caller does not hold, so that nobody can raise their
 * own (or a helper's) privileges, e.g. an admin making someone an owner.
 */
export function assertGrantable(grantable: Grantable, permissions: Iterable<string>): void {
  const missing = [...new Set(permissions)].filter((p) => !grantable.has(p)).sort();
  if (missing.length > 0) {
    throw platformErrors.forbidden(
      `You cannot grant permissions you do not hold yourself: ${missing.join(', ')}.`,
      { permissions: missing },
    );
  }
}

/** Roles: the built-in ones and each tenant's custom roles; resolves role names to permissions. */
export class RolesService {
  private readonly db: Database;
  private readonly repository: RolesRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly audit: AuditService;

  constructor(deps: {
    db: Database;
    repository: RolesRepository;
    outbox: Outbox;
    clock: Clock;
    audit: AuditService;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.audit = deps.audit;
  }

  /** The built-in roles, then the tenant's custom roles by name. */
  async list(ctx: RequestContext): Promise<{ items: Role[] }> {
    const builtIn: Role[] = Object.entries(BUILT_IN_ROLES).map(([name, role]) => ({
      id: null,
      name,
      description: role.description,
      permissions: [...role.permissions],
      builtIn: true,
      createdAt: null,
      updatedAt: null,
    }));
    const custom = await this.repository.list(ctx.tenantId);
    return { items: [...builtIn, ...custom.map(toRole)] };
  }

  async get(ctx: RequestContext, id: string): Promise<Role> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw identityErrors.role_not_found(`No role ${id}`);
    return toRole(row);
  }

  async create(
    ctx: RequestContext,
    input: CreateRoleInput,
    grantable: Grantable,
    meta: RequestMeta,
  ): Promise<Role> {
    assertGrantable(grantable, input.permissions);
    try {
      return await inTransaction(this.db, async () => {
        if (await this.repository.nameTaken(ctx.tenantId, input.name)) throw nameTaken(input.name);
        const now = this.clock.now();
        const row = await this.repository.insert({
          id: newId('rol'),
          tenantId: ctx.tenantId,
          name: input.name,
          description: input.description,
          permissions: input.permissions,
          createdAt: now,
          updatedAt: now,
        });
        await this.outbox.emit(roleCreatedV1, { role: toRoleSnapshot(row) }, { ctx, aggregateId: row.id });
        await this.audit.record({
          tenantId: ctx.tenantId,
          actor: ctx.actor,
          action: 'role_created',
          target: { type: 'role', id: row.id },
          meta,
          details: { name: row.name, permissions: row.permissions },
        });
        return toRole(row);
      });
    } catch (error) {
      // Two concurrent creates can both pass the check; the unique constraint decides.
      if (isUniqueViolation(error, NAME_INDEX)) throw nameTaken(input.name);
      throw error;
    }
  }

  async update(
    ctx: RequestContext,
    id: string,
    input: UpdateRoleInput,
    grantable: Grantable,
    meta: RequestMeta,
  ): Promise<Role> {
    try {
      return await inTransaction(this.db, async () => {
        const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
        if (!current) throw identityErrors.role_not_found(`No role ${id}`);
        const changes: Partial<Pick<typeof current, 'name' | 'description' | 'permissions'>> = {};
        if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
        if (input.description !== undefined && input.description !== current.description)
          changes.description = input.description;
        if (input.permissions !== undefined && !sameSet(input.permissions, current.permissions)) {
          // Only what is added must be grantable: a caller may narrow a role beyond their reach.
          assertGrantable(
            grantable,
            input.permissions.filter((p) => !current.permissions.includes(p)),
          );
          changes.permissions = input.permissions;
        }
        const changed = Object.keys(changes);
        if (changed.length === 0) return toRole(current);
        const now = this.clock.now();
        if (changes.name !== undefined) {
          if (await this.repository.nameTaken(ctx.tenantId, changes.name, id)) throw nameTaken(changes.name);
          await this.repository.renameAssignments(ctx.tenantId, current.name, changes.name, now);
        }
        const row = await this.repository.update(ctx.tenantId, id, changes, now);
        await this.outbox.emit(
          roleUpdatedV1,
          { role: toRoleSnapshot(row), changed, previousName: current.name },
          { ctx, aggregateId: id },
        );
        await this.audit.record({
          tenantId: ctx.tenantId,
          actor: ctx.actor,
          action: 'role_updated',
          target: { type: 'role', id },
          meta,
          details: { changed, name: row.name, permissions: row.permissions },
        });
        return toRole(row);
      });
    } catch (error) {
      if (isUniqueViolation(error, NAME_INDEX)) throw nameTaken(input.name ?? '');
      throw error;
    }
  }

  /** Deletes a custom role that nobody holds any more (409 naming the holders otherwise). */
  async delete(ctx: RequestContext, id: string, meta: RequestMeta): Promise<void> {
    await inTransaction(this.db, async () => {
      const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw identityErrors.role_not_found(`No role ${id}`);
      const assignedTo = await this.repository.assignments(ctx.tenantId, current.name);
      if (assignedTo.users > 0 || assignedTo.clients > 0) {
        throw identityErrors.role_in_use(
          `Role ${current.name} is held by ${String(assignedTo.users)} user(s) and ${String(assignedTo.clients)} API client(s)`,
          { assignedTo },
        );
      }
      await this.repository.delete(ctx.tenantId, id);
      const deletedAt = this.clock.now();
      await this.outbox.emit(
        roleDeletedV1,
        { roleId: id, name: current.name, deletedAt: deletedAt.toISOString() },
        { ctx, aggregateId: id },
      );
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'role_deleted',
        target: { type: 'role', id },
        meta,
        details: { name: current.name },
      });
    });
  }

  /**
   * Checks that every name is a built-in role or a custom role of the tenant (422 naming the
   * field otherwise) and returns the permissions they grant together.
   */
  async resolveAssignable(
    tenantId: string,
    names: readonly string[],
    field = 'roles',
  ): Promise<Set<Permission>> {
    const custom = await this.repository.findByNames(
      tenantId,
      names.filter((name) => !isBuiltInRole(name)),
    );
    const known = new Set([...custom.map((role) => role.name)]);
    const unknown = names.filter((name) => !isBuiltInRole(name) && !known.has(name));
    if (unknown.length > 0) {
      throw identityErrors.unknown_role(`No role named ${unknown.join(', ')} in this tenant`, {
        field,
        roles: unknown,
      });
    }
    return permissionsOf(names, custom);
  }

  /** The permissions the roles grant now (names that no longer exist grant nothing). */
  async permissionsOf(tenantId: string, names: readonly string[]): Promise<Permission[]> {
    const custom = await this.repository.findByNames(
      tenantId,
      names.filter((name) => !isBuiltInRole(name)),
    );
    return [...permissionsOf(names, custom)].sort();
  }
}

function permissionsOf(names: readonly string[], custom: readonly { name: string; permissions: string[] }[]) {
  const granted = new Set<Permission>();
  for (const name of names) {
    if (isBuiltInRole(name)) for (const p of BUILT_IN_ROLES[name].permissions) granted.add(p);
  }
  for (const role of custom) for (const p of role.permissions) granted.add(p as Permission);
  return granted;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
