import { userCreatedV1, userInvitedV1, userUpdatedV1 } from '@only/contracts/identity';
import type { Principal } from '@only/platform/auth';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { identityErrors } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import type { PasswordHasher } from '../../security/password-hasher.ts';
import { assertPasswordPolicy } from '../../security/password-policy.ts';
import type { OneTimeTokens } from '../account/one-time-tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertGrantable, type Grantable, type RolesService } from '../roles/roles.service.ts';
import type { TenantsService } from '../tenants/tenants.service.ts';
import type { RefreshTokensRepository } from '../tokens/tokens.repository.ts';
import {
  toUser,
  toUserSnapshot,
  type CreateUserInput,
  type ListUsersQuery,
  type Me,
  type UpdateUserInput,
  type User,
} from './users.dto.ts';
import type { UserChanges, UsersRepository } from './users.repository.ts';
import type { UserRow } from './users.table.ts';

const EMAIL_INDEX = 'users_tenant_email_key';
const cursorSchema = z.object({ id: z.string() });

function emailTaken(email: string) {
  return identityErrors.user_email_taken(`A user with email ${email} already exists`, { field: 'email' });
}

function userNotFound(id: string) {
  return identityErrors.user_not_found(`No user ${id}`);
}

/** A user created with a known password (seeding, provisioning): active and verified at once. */
export interface ProvisionUserInput {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly password: string;
}

/** Users of a tenant: invitations, reads, changes of name, roles and status. Every change emits one event. */
export class UsersService {
  private readonly db: Database;
  private readonly repository: UsersRepository;
  private readonly roles: RolesService;
  private readonly tenants: TenantsService;
  private readonly oneTimeTokens: OneTimeTokens;
  private readonly refreshTokens: RefreshTokensRepository;
  private readonly hasher: PasswordHasher;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly audit: AuditService;

  constructor(deps: {
    db: Database;
    repository: UsersRepository;
    roles: RolesService;
    tenants: TenantsService;
    oneTimeTokens: OneTimeTokens;
    refreshTokens: RefreshTokensRepository;
    hasher: PasswordHasher;
    outbox: Outbox;
    clock: Clock;
    audit: AuditService;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.roles = deps.roles;
    this.tenants = deps.tenants;
    this.oneTimeTokens = deps.oneTimeTokens;
    this.refreshTokens = deps.refreshTokens;
    this.hasher = deps.hasher;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.audit = deps.audit;
  }

  /**
   * Invites a user: stored with a random password nobody knows, and `identity.user.invited`
   * carries a single-use token to verify the email and choose a password.
   */
  async invite(
    ctx: RequestContext,
    input: CreateUserInput,
    grantable: Grantable,
    meta: RequestMeta,
  ): Promise<User> {
    const tenant = await this.tenants.find(ctx.tenantId);
    if (!tenant) throw identityErrors.tenant_not_found(`No tenant ${ctx.tenantId}`);
    // Hashed before the transaction: 50 ms of argon2 should not hold row locks.
    const passwordHash = await this.hasher.unusable();
    try {
      return await inTransaction(this.db, async () => {
        assertGrantable(grantable, await this.roles.resolveAssignable(ctx.tenantId, input.roles));
        if (await this.repository.emailTaken(ctx.tenantId, input.email)) throw emailTaken(input.email);
        const now = this.clock.now();
        const row = await this.repository.insert({
          id: newId('usr'),
          tenantId: ctx.tenantId,
          email: input.email,
          name: input.name,
          passwordHash,
          roles: input.roles,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        });
        const verification = await this.oneTimeTokens.issue(ctx.tenantId, row.id, 'email_verification', now);
        await this.outbox.emit(
          userInvitedV1,
          {
            user: toUserSnapshot(row),
            verification: { token: verification.token, expiresAt: verification.expiresAt.toISOString() },
            tenant: { slug: tenant.slug, name: tenant.name, locale: tenant.locale },
            invitedBy: ctx.actor,
          },
          { ctx, aggregateId: row.id },
        );
        await this.audit.record({
          tenantId: ctx.tenantId,
          actor: ctx.actor,
          action: 'user_invited',
          target: { type: 'user', id: row.id },
          meta,
          details: { email: row.email, roles: row.roles },
        });
        return toUser(row);
      });
    } catch (error) {
      // Two concurrent invitations can both pass the check; the unique index decides.
      if (isUniqueViolation(error, EMAIL_INDEX)) throw emailTaken(input.email);
      throw error;
    }
  }

  /** Creates an active user with a verified email and the given password (seeding, provisioning). */
  async provision(ctx: RequestContext, input: ProvisionUserInput, meta: RequestMeta): Promise<User> {
    assertPasswordPolicy(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    return inTransaction(this.db, async () => {
      await this.roles.resolveAssignable(ctx.tenantId, input.roles);
      const email = input.email.trim().toLowerCase();
      if (await this.repository.emailTaken(ctx.tenantId, email)) throw emailTaken(email);
      const now = this.clock.now();
      const row = await this.repository.insert({
        id: newId('usr'),
        tenantId: ctx.tenantId,
        email,
        name: input.name,
        passwordHash,
        roles: [...input.roles],
        status: 'active',
        emailVerifiedAt: now,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await this.outbox.emit(userCreatedV1, { user: toUserSnapshot(row) }, { ctx, aggregateId: row.id });
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'user_created',
        target: { type: 'user', id: row.id },
        meta,
        details: { email: row.email, roles: row.roles },
      });
      return toUser(row);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<User> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw userNotFound(id);
    return toUser(row);
  }

  /** A user of the tenant by email, if any. */
  async findByEmail(tenantId: string, email: string): Promise<UserRow | undefined> {
    return this.repository.findByEmail(tenantId, email);
  }

  async list(
    ctx: RequestContext,
    query: ListUsersQuery,
  ): Promise<{ items: User[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(ctx.tenantId, {
      limit: query.limit,
      afterId: after,
      text: query.q,
      status: query.status,
    });
    return toPage(rows, query.limit, toUser, (row) => ({ id: row.id }));
  }

  /**
   * Changes name, roles or status. The caller must hold every permission the user has and every
   * permission the new roles grant; the tenant always keeps an active owner; disabling a user ends
   * their sessions.
   */
  async update(
    ctx: RequestContext,
    id: string,
    input: UpdateUserInput,
    grantable: Grantable,
    meta: RequestMeta,
  ): Promise<User> {
    return inTransaction(this.db, async () => {
      if (input.roles !== undefined || input.status !== undefined)
        await this.repository.lockRoleChanges(ctx.tenantId);
      const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw userNotFound(id);
      assertGrantable(grantable, await this.roles.permissionsOf(ctx.tenantId, current.roles));
      const changes: UserChanges = {};
      if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
      if (input.roles !== undefined && !sameSet(input.roles, current.roles)) {
        assertGrantable(grantable, await this.roles.resolveAssignable(ctx.tenantId, input.roles));
        changes.roles = input.roles;
      }
      if (input.status !== undefined && input.status !== current.status) changes.status = input.status;
      const changed = Object.keys(changes);
      if (changed.length === 0) return toUser(current);
      const wasOwner = current.status === 'active' && current.roles.includes('owner');
      const staysOwner =
        (changes.status ?? current.status) === 'active' && (changes.roles ?? current.roles).includes('owner');
      if (wasOwner && !staysOwner && (await this.repository.otherActiveOwners(ctx.tenantId, id)) === 0) {
        throw identityErrors.last_owner(`${current.email} is the last active owner of the tenant`, {
          field: changes.status === undefined ? 'roles' : 'status',
        });
      }
      const now = this.clock.now();
      const row = await this.repository.update(ctx.tenantId, id, changes, now);
      if (changes.status === 'disabled') {
        await this.refreshTokens.revokeAllOfUser(ctx.tenantId, id, now, 'user_disabled');
      }
      await this.outbox.emit(
        userUpdatedV1,
        { user: toUserSnapshot(row), changed, actor: ctx.actor },
        { ctx, aggregateId: id },
      );
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'user_updated',
        target: { type: 'user', id },
        meta,
        details: { changed, roles: row.roles, status: row.status },
      });
      return toUser(row);
    });
  }

  /** The signed-in user, their tenant, and what their token grants. */
  async me(principal: Principal): Promise<Me> {
    const [row, tenant] = await Promise.all([
      this.repository.find(principal.tenantId, principal.subject),
      this.tenants.find(principal.tenantId),
    ]);
    if (!row || !tenant) throw userNotFound(principal.subject);
    return {
      user: toUser(row),
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      permissions: [...principal.permissions].sort(),
    };
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
