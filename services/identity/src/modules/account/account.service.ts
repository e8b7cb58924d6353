import { userPasswordChangedV1, userPasswordResetRequestedV1, userUpdatedV1 } from '@only/contracts/identity';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import type { Logger } from '@only/platform/log';
import type { Outbox } from '@only/platform/outbox';
import { identityErrors } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import type { PasswordHasher } from '../../security/password-hasher.ts';
import { assertPasswordPolicy } from '../../security/password-policy.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { TenantsService } from '../tenants/tenants.service.ts';
import type { RefreshTokensRepository } from '../tokens/tokens.repository.ts';
import { toUserSnapshot } from '../users/users.dto.ts';
import type { UserChanges, UsersRepository } from '../users/users.repository.ts';
import type { EmailVerificationInput, PasswordResetInput, PasswordResetRequestInput } from './account.dto.ts';
import type { OneTimeTokenProblem, OneTimeTokens } from './one-time-tokens.ts';

function tokenInvalid(problem: OneTimeTokenProblem) {
  const detail =
    problem === 'expired'
      ? 'The token has expired; request a new one.'
      : problem === 'used'
        ? 'The token was already used; request a new one.'
        : 'The token is not valid.';
  return identityErrors.token_invalid(detail, { field: 'token' });
}

/**
 * What users do by themselves with a token sent by email: verify their address (and choose their
 * first password), and reset a forgotten password. None of it tells whether an account exists.
 */
export class AccountService {
  private readonly db: Database;
  private readonly users: UsersRepository;
  private readonly tenants: TenantsService;
  private readonly oneTimeTokens: OneTimeTokens;
  private readonly refreshTokens: RefreshTokensRepository;
  private readonly hasher: PasswordHasher;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly audit: AuditService;
  private readonly logger: Logger;

  constructor(deps: {
    db: Database;
    users: UsersRepository;
    tenants: TenantsService;
    oneTimeTokens: OneTimeTokens;
    refreshTokens: RefreshTokensRepository;
    hasher: PasswordHasher;
    outbox: Outbox;
    clock: Clock;
    audit: AuditService;
    logger: Logger;
  }) {
    this.db = deps.db;
    this.users = deps.users;
    this.tenants = deps.tenants;
    this.oneTimeTokens = deps.oneTimeTokens;
    this.refreshTokens = deps.refreshTokens;
    this.hasher = deps.hasher;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.audit = deps.audit;
    this.logger = deps.logger;
  }

  /**
   * Verifies a user's email with the token of their invitation; with a password, also sets it
   * (how an invited user gets one). Single use.
   */
  async verifyEmail(ctx: RequestContext, input: EmailVerificationInput, meta: RequestMeta): Promise<void> {
    if (input.password !== undefined) assertPasswordPolicy(input.password);
    const passwordHash = input.password === undefined ? undefined : await this.hasher.hash(input.password);
    await inTransaction(this.db, async () => {
      const now = this.clock.now();
      const used = await this.oneTimeTokens.use(input.token, 'email_verification', now);
      if ('problem' in used) throw tokenInvalid(used.problem);
      const { tenantId, userId } = used.row;
      const user = await this.users.find(tenantId, userId, { forUpdate: true });
      if (user?.status !== 'active') throw tokenInvalid('unknown');
      const userCtx: RequestContext = { ...ctx, tenantId, actor: { type: 'user', id: userId } };
      const changes: UserChanges = {};
      if (user.emailVerifiedAt === null) changes.emailVerifiedAt = now;
      if (passwordHash !== undefined) {
        Object.assign(changes, {
          passwordHash,
          passwordChangedAt: now,
          failedLoginCount: 0,
          lockedUntil: null,
        });
      }
      if (Object.keys(changes).length === 0) return;
      const row = await this.users.update(tenantId, userId, changes, now);
      if (changes.emailVerifiedAt !== undefined) {
        await this.outbox.emit(
          userUpdatedV1,
          { user: toUserSnapshot(row), changed: ['emailVerifiedAt'], actor: userCtx.actor },
          { ctx: userCtx, aggregateId: userId },
        );
        await this.audit.record({
          tenantId,
          actor: userCtx.actor,
          action: 'email_verified',
          target: { type: 'user', id: userId },
          meta,
        });
      }
      if (passwordHash !== undefined) {
        await this.refreshTokens.revokeAllOfUser(tenantId, userId, now, 'password_reset');
        await this.outbox.emit(
          userPasswordChangedV1,
          { userId, email: row.email, reason: 'invitation_accepted', changedAt: now.toISOString() },
          { ctx: userCtx, aggregateId: userId },
        );
      }
    });
  }

  /**
   * Starts a password reset. Always succeeds from the caller's view: whether the tenant or the
   * user exists is never revealed. For an active user, `identity.user.password_reset_requested`
   * carries a single-use token valid for 30 minutes; earlier reset tokens stop working.
   */
  async requestPasswordReset(
    ctx: RequestContext,
    input: PasswordResetRequestInput,
    meta: RequestMeta,
  ): Promise<void> {
    const tenant = await this.tenants.findActiveBySlug(input.tenant);
    if (!tenant) {
      this.logger.info('password reset requested for an unknown or suspended tenant');
      return;
    }
    await inTransaction(this.db, async () => {
      const user = await this.users.findByEmail(tenant.id, input.email);
      const anonymous: RequestContext = { ...ctx, tenantId: tenant.id };
      if (user?.status !== 'active') {
        // Recorded for the tenant's admins (someone probing emails shows up), answered like a hit.
        await this.audit.record({
          tenantId: tenant.id,
          actor: anonymous.actor,
          action: 'password_reset_requested',
          meta,
          details: { email: input.email, matched: false },
        });
        return;
      }
      const now = this.clock.now();
      const reset = await this.oneTimeTokens.issue(tenant.id, user.id, 'password_reset', now);
      await this.outbox.emit(
        userPasswordResetRequestedV1,
        {
          user: { id: user.id, email: user.email, name: user.name },
          reset: { token: reset.token, expiresAt: reset.expiresAt.toISOString() },
          tenant: { slug: tenant.slug, name: tenant.name, locale: tenant.locale },
        },
        { ctx: anonymous, aggregateId: user.id },
      );
      await this.audit.record({
        tenantId: tenant.id,
        actor: anonymous.actor,
        action: 'password_reset_requested',
        target: { type: 'user', id: user.id },
        meta,
        details: { email: user.email, matched: true },
      });
    });
  }

  /**
   * Sets a new password with a reset token (single use, 30 minutes). Also clears a sign-in lock,
   * counts the email as verified (the token came by email), and revokes every refresh token of
   * the user: whoever knew the old password is signed out.
   */
  async resetPassword(ctx: RequestContext, input: PasswordResetInput, meta: RequestMeta): Promise<void> {
    assertPasswordPolicy(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    await inTransaction(this.db, async () => {
      const now = this.clock.now();
      const used = await this.oneTimeTokens.use(input.token, 'password_reset', now);
      if ('problem' in used) throw tokenInvalid(used.problem);
      const { tenantId, userId } = used.row;
      const user = await this.users.find(tenantId, userId, { forUpdate: true });
      if (user?.status !== 'active') throw tokenInvalid('unknown');
      const userCtx: RequestContext = { ...ctx, tenantId, actor: { type: 'user', id: userId } };
      const row = await this.users.update(
        tenantId,
        userId,
        {
          passwordHash,
          passwordChangedAt: now,
          failedLoginCount: 0,
          lockedUntil: null,
          emailVerifiedAt: user.emailVerifiedAt ?? now,
        },
        now,
      );
      const revoked = await this.refreshTokens.revokeAllOfUser(tenantId, userId, now, 'password_reset');
      await this.outbox.emit(
        userPasswordChangedV1,
        { userId, email: row.email, reason: 'password_reset', changedAt: now.toISOString() },
        { ctx: userCtx, aggregateId: userId },
      );
      await this.audit.record({
        tenantId,
        actor: userCtx.actor,
        action: 'password_reset',
        target: { type: 'user', id: userId },
        meta,
        details: { refreshTokensRevoked: revoked },
      });
    });
  }
}
