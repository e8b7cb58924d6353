import { SERVICE_PERMISSIONS } from '@only/contracts/auth';
import { serviceClientId, serviceClientSecret, type Principal } from '@only/platform/auth';
import type { Clock } from '@only/platform/clock';
import { inTransaction, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { identityErrors, oauthError } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import type { PasswordHasher } from '../../security/password-hasher.ts';
import { hashSecret, newSecret, secretMatches } from '../../security/secrets.ts';
import type { AuditRecord, AuditService } from '../audit/audit.service.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { RolesService } from '../roles/roles.service.ts';
import type { TenantsService } from '../tenants/tenants.service.ts';
import type { TenantRow } from '../tenants/tenants.table.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { UserRow } from '../users/users.table.ts';
import type { TokenSigner } from './access-tokens.ts';
import type { ClientCredentials } from './client-authentication.ts';
import { lockDurationMs, secondsUntil } from './login-throttle.ts';
import { unknownAccountKey, type UnknownAccountsRepository } from './unknown-accounts.repository.ts';
import {
  GRANT_TYPES,
  SUPPORTED_SCOPES,
  type Discovery,
  type GrantType,
  type TokenRequest,
  type TokenResponse,
  type UserInfo,
} from './tokens.dto.ts';
import type { RefreshTokensRepository } from './tokens.repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const BAD_CREDENTIALS = 'The username or password is wrong.';
const BAD_REFRESH_TOKEN = 'The refresh token is invalid, expired or revoked.';

function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '')
    throw oauthError('invalid_request', `The parameter ${name} is missing.`);
  return value;
}

/** The scopes of a user's token request: known ones only, deduplicated. */
function parseScope(scope: string | undefined): string[] {
  const requested = [...new Set((scope ?? '').split(' ').filter((s) => s !== ''))];
  const unknown = requested.filter((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw oauthError('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  return requested;
}

function lockedError(until: Date, now: Date) {
  const retryAfter = secondsUntil(until, now);
  return identityErrors.account_locked(
    `Too many failed sign-ins: try again in ${String(retryAfter)} seconds, or reset the password.`,
    { retryAfter },
  );
}

/** Options of {@link TokensService}. */
export interface TokensServiceOptions {
  readonly db: Database;
  readonly users: UsersRepository;
  readonly tenants: TenantsService;
  readonly roles: RolesService;
  readonly clients: ClientsService;
  readonly refreshTokens: RefreshTokensRepository;
  readonly unknownAccounts: UnknownAccountsRepository;
  readonly signer: TokenSigner;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly logger: Logger;
  readonly refreshTokenTtlDays: number;
  /**
   * The deployment's service secret: with it, platform services (`svc-<name>`) authenticate with
   * secrets derived from it (`serviceClientSecret`) and get machine tokens for a tenant.
   */
  readonly serviceSecret?: string;
}

/**
 * The OAuth 2.0 token endpoint and its companions: the password grant (with lockout), rotating
 * refresh tokens with reuse detection, the client-credentials grant, revocation, logout and
 * userinfo.
 */
export class TokensService {
  private readonly o: TokensServiceOptions;

  constructor(options: TokensServiceOptions) {
    this.o = options;
  }

  /** Answers a token request (RFC 6749 §5.1), or fails with an OAuth error (§5.2). */
  async token(request: TokenRequest, client: ClientCredentials, meta: RequestMeta): Promise<TokenResponse> {
    const grantType = required(request.grant_type, 'grant_type');
    if (!isGrantType(grantType)) {
      throw oauthError('unsupported_grant_type', `The grant type ${grantType} is not supported.`);
    }
    switch (grantType) {
      case 'password':
        return this.passwordGrant(request, await this.firstPartyClient(client, grantType), meta);
      case 'refresh_token':
        return this.refreshGrant(request, await this.firstPartyClient(client, grantType), meta);
      case 'client_credentials':
        return this.clientCredentialsGrant(request, client, meta);
    }
  }

  /** The first-party app (public client) a user grant is for. */
  private async firstPartyClient(client: ClientCredentials, grantType: GrantType): Promise<string> {
    const id = required(client.id, 'client_id');
    const app = await this.o.clients.findFirstParty(id);
    if (!app) throw oauthError('invalid_client', `Unknown client ${id}.`);
    if (client.secret !== undefined)
      throw oauthError('invalid_client', `${id} is a public client: send no secret.`);
    if (!app.grantTypes.includes(grantType)) {
      throw oauthError('unauthorized_client', `${id} may not use the ${grantType} grant.`);
    }
    return app.id;
  }

  /**
   * Resource-owner password grant. Unknown users cost one argon2 verification like known ones;
   * five consecutive failures lock the account for a minute, doubling per further failure up
   * to an hour (429 with Retry-After) — accounts that do not exist lock the same way, so neither
   * timing nor lockout tells whether one does. Every outcome is audited.
   */
  private async passwordGrant(
    request: TokenRequest,
    clientId: string,
    meta: RequestMeta,
  ): Promise<TokenResponse> {
    const slug = required(request.tenant, 'tenant');
    const email = required(request.username, 'username').trim().toLowerCase();
    const password = required(request.password, 'password');
    const scopes = parseScope(request.scope);
    const { clock, hasher, users } = this.o;

    const tenant = await this.o.tenants.findActiveBySlug(slug);
    const user = tenant === undefined ? undefined : await users.findByEmail(tenant.id, email);
    const anonymous = { type: 'anonymous', id: null } as const;
    const audit = (tenantId: string, entry: Omit<AuditRecord, 'tenantId' | 'meta' | 'actor'>) =>
      this.o.audit.record({ tenantId, actor: anonymous, meta, ...entry });

    const startedAt = clock.now();
    if (tenant && user?.lockedUntil && user.lockedUntil > startedAt) {
      await audit(tenant.id, {
        action: 'login_failed',
        target: { type: 'user', id: user.id },
        details: { reason: 'locked', lockedUntil: user.lockedUntil.toISOString(), clientId },
      });
      throw lockedError(user.lockedUntil, startedAt);
    }

    const unknownKey = tenant && user ? undefined : unknownAccountKey(slug, email);
    const unknownLock =
      unknownKey === undefined ? null : await this.o.unknownAccounts.lockedUntil(unknownKey);
    if (unknownLock && unknownLock > startedAt) throw lockedError(unknownLock, startedAt);

    const matches = user
      ? await hasher.verify(password, user.passwordHash)
      : await hasher.verifyNobody(password);
    if (!tenant || !user) {
      if (tenant)
        await audit(tenant.id, {
          action: 'login_failed',
          details: { reason: 'unknown_user', email, clientId },
        });
      return this.failedUnknownAccount(unknownKey ?? unknownAccountKey(slug, email));
    }
    if (!matches) await this.failedPassword(tenant, user, clientId, meta);
    if (user.status !== 'active') {
      await audit(tenant.id, {
        action: 'login_failed',
        target: { type: 'user', id: user.id },
        details: { reason: 'disabled', clientId },
      });
      throw oauthError('invalid_grant', 'The account is disabled.');
    }

    // A hash of an older cost is replaced now that the password is at hand.
    const rehash = hasher.needsRehash(user.passwordHash) ? await hasher.hash(password) : undefined;
    return inTransaction(this.o.db, async () => {
      const now = clock.now();
      await users.update(
        tenant.id,
        user.id,
        {
          failedLoginCount: 0,
          lockedUntil: null,
          lastLoginAt: now,
          ...(rehash ? { passwordHash: rehash } : {}),
        },
        now,
        { touch: false },
      );
      const response = await this.issueForUser(tenant, user, clientId, scopes, {
        familyId: newId('rtf'),
        parentId: null,
      });
      await this.o.audit.record({
        tenantId: tenant.id,
        actor: { type: 'user', id: user.id },
        action: 'login_succeeded',
        target: { type: 'user', id: user.id },
        meta,
        details: { clientId, grantType: 'password' },
      });
      return response;
    });
  }

  /** Counts a sign-in to an account that does not exist and fails as a real account would. */
  private async failedUnknownAccount(keyHash: string): Promise<never> {
    const { lockedUntil, now } = await inTransaction(this.o.db, async () => {
      const at = this.o.clock.now();
      const lockMs = lockDurationMs(await this.o.unknownAccounts.countFailure(keyHash, at));
      const until = lockMs === undefined ? undefined : new Date(at.getTime() + lockMs);
      if (until) await this.o.unknownAccounts.lock(keyHash, until);
      return { lockedUntil: until, now: at };
    });
    if (lockedUntil) throw lockedError(lockedUntil, now);
    throw oauthError('invalid_grant', BAD_CREDENTIALS);
  }

  /** Counts a wrong password, locks the account when due, audits both, and fails. */
  private async failedPassword(
    tenant: TenantRow,
    user: UserRow,
    clientId: string,
    meta: RequestMeta,
  ): Promise<never> {
    const { lockedUntil, now } = await inTransaction(this.o.db, async () => {
      const at = this.o.clock.now();
      const failures = await this.o.users.countFailure(tenant.id, user.id);
      const lockMs = lockDurationMs(failures);
      const until = lockMs === undefined ? undefined : new Date(at.getTime() + lockMs);
      if (until) await this.o.users.update(tenant.id, user.id, { lockedUntil: until }, at, { touch: false });
      const base = { tenantId: tenant.id, actor: { type: 'anonymous', id: null }, meta } as const;
      const target = { type: 'user', id: user.id } as const;
      await this.o.audit.record({
        ...base,
        action: 'login_failed',
        target,
        details: { reason: 'bad_password', failures, clientId },
      });
      if (until) {
        await this.o.audit.record({
          ...base,
          action: 'account_locked',
          target,
          details: { failures, lockedUntil: until.toISOString(), lockedForSeconds: (lockMs ?? 0) / 1000 },
        });
      }
      return { lockedUntil: until, now: at };
    });
    if (lockedUntil) throw lockedError(lockedUntil, now);
    throw oauthError('invalid_grant', BAD_CREDENTIALS);
  }

  /**
   * Refresh grant with rotation: the token is used up and a new one of the same family returned.
   * A token presented a second time has leaked: the whole family is revoked (the newest token
   * too) and the reuse audited.
   */
  private async refreshGrant(
    request: TokenRequest,
    clientId: string,
    meta: RequestMeta,
  ): Promise<TokenResponse> {
    const presented = required(request.refresh_token, 'refresh_token');
    const outcome = await inTransaction(
      this.o.db,
      async (): Promise<{ refused: string } | { response: TokenResponse }> => {
        const now = this.o.clock.now();
        const row = await this.o.refreshTokens.findByHash(hashSecret(presented), { forUpdate: true });
        if (!row || row.clientId !== clientId || row.revokedAt !== null)
          return { refused: BAD_REFRESH_TOKEN };
        if (row.usedAt !== null) {
          const revoked = await this.o.refreshTokens.revokeFamily(row.familyId, now, 'reuse_detected');
          await this.o.audit.record({
            tenantId: row.tenantId,
            actor: { type: 'anonymous', id: null },
            action: 'refresh_token_reuse',
            target: { type: 'user', id: row.userId },
            meta,
            details: { familyId: row.familyId, tokenId: row.id, revoked, clientId },
          });
          this.o.logger.warn(
            { familyId: row.familyId, userId: row.userId },
            'refresh token reuse: family revoked',
          );
          return { refused: BAD_REFRESH_TOKEN };
        }
        if (row.expiresAt <= now) return { refused: BAD_REFRESH_TOKEN };
        const [user, tenant] = await Promise.all([
          this.o.users.find(row.tenantId, row.userId),
          this.o.tenants.find(row.tenantId),
        ]);
        if (user?.status !== 'active' || tenant?.status !== 'active') {
          await this.o.refreshTokens.revokeFamily(row.familyId, now, 'invalid_user');
          return { refused: 'The account is disabled.' };
        }
        await this.o.refreshTokens.markUsed(row.id, now);
        const scopes = row.scope === '' ? [] : row.scope.split(' ');
        const response = await this.issueForUser(tenant, user, clientId, scopes, {
          familyId: row.familyId,
          parentId: row.id,
        });
        await this.o.audit.record({
          tenantId: tenant.id,
          actor: { type: 'user', id: user.id },
          action: 'token_refreshed',
          target: { type: 'user', id: user.id },
          meta,
          details: { familyId: row.familyId, clientId },
        });
        return { response };
      },
    );
    // Outside the transaction: the revocation of a reused family must commit although we refuse.
    if ('refused' in outcome) throw oauthError('invalid_grant', outcome.refused);
    return outcome.response;
  }

  /** Client-credentials grant: an access token (no refresh token) whose subject is the API client. */
  private async clientCredentialsGrant(
    request: TokenRequest,
    credentials: ClientCredentials,
    meta: RequestMeta,
  ): Promise<TokenResponse> {
    const id = required(credentials.id, 'client_id');
    if (credentials.secret === undefined) throw oauthError('invalid_client', 'The client secret is missing.');
    if (id.startsWith(serviceClientId(''))) return this.serviceGrant(request, id, credentials.secret);
    if (request.scope !== undefined && request.scope.trim() !== '') {
      throw oauthError('invalid_scope', 'API clients get the permissions of their roles; ask for no scope.');
    }
    const client = await this.o.clients.authenticate(id, credentials.secret);
    const tenant = client && (await this.o.tenants.find(client.tenantId));
    if (!client || tenant?.status !== 'active') {
      const known = await this.o.clients.findTenantOf(id);
      if (known !== undefined) {
        await this.o.audit.record({
          tenantId: known,
          actor: { type: 'anonymous', id: null },
          action: 'client_authentication_failed',
          target: { type: 'client', id },
          meta,
          details: { method: credentials.method },
        });
      }
      throw oauthError('invalid_client', 'Client authentication failed.');
    }
    const permissions = await this.o.roles.permissionsOf(client.tenantId, client.roles);
    const access = await this.o.signer.accessToken({
      subject: client.id,
      tenantId: client.tenantId,
      roles: client.roles,
      permissions,
      clientId: client.id,
    });
    await this.o.audit.record({
      tenantId: client.tenantId,
      actor: { type: 'client', id: client.id },
      action: 'client_token_issued',
      target: { type: 'client', id: client.id },
      meta,
      details: { method: credentials.method },
    });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn };
  }

  /**
   * Client-credentials grant of a platform service (`svc-<name>`): its secret is derived from the
   * deployment's service secret, and the token is for the tenant the request names, with the
   * service's fixed permissions (`SERVICE_PERMISSIONS`). Not audited: services ask for one per
   * tenant every few minutes, and no person is acting.
   */
  private async serviceGrant(
    request: TokenRequest,
    clientId: string,
    secret: string,
  ): Promise<TokenResponse> {
    const service = clientId.slice(serviceClientId('').length);
    const expected =
      this.o.serviceSecret === undefined ? undefined : serviceClientSecret(this.o.serviceSecret, service);
    if (
      expected === undefined ||
      !secretMatches(secret, hashSecret(expected)) ||
      SERVICE_PERMISSIONS[service] === undefined
    ) {
      throw oauthError('invalid_client', 'Client authentication failed.');
    }
    const tenantId = required(request.tenant, 'tenant');
    const access = await this.serviceToken(service, tenantId);
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn };
  }

  /**
   * A machine token of platform service `service` for `tenantId` (an active tenant), carrying the
   * service's `SERVICE_PERMISSIONS`: what the token endpoint issues to `svc-<service>`, and what
   * embedded mode hands its services directly.
   */
  async serviceToken(service: string, tenantId: string): Promise<{ token: string; expiresIn: number }> {
    const permissions = SERVICE_PERMISSIONS[service];
    if (permissions === undefined)
      throw oauthError('unauthorized_client', `${service} gets no machine tokens.`);
    const tenant = await this.o.tenants.find(tenantId);
    if (tenant?.status !== 'active') throw oauthError('invalid_grant', 'No active tenant has this id.');
    const clientId = serviceClientId(service);
    return this.o.signer.accessToken({ subject: clientId, tenantId, roles: [], permissions, clientId });
  }

  /** Signs an access token (and an ID token for `openid`) and stores a new refresh token. */
  private async issueForUser(
    tenant: TenantRow,
    user: UserRow,
    clientId: string,
    scopes: readonly string[],
    family: { familyId: string; parentId: string | null },
  ): Promise<TokenResponse> {
    const now = this.o.clock.now();
    const permissions = await this.o.roles.permissionsOf(tenant.id, user.roles);
    const access = await this.o.signer.accessToken({
      subject: user.id,
      tenantId: tenant.id,
      roles: user.roles,
      permissions,
      clientId,
    });
    const refreshToken = newSecret();
    await this.o.refreshTokens.insert({
      id: newId('rtk'),
      tenantId: tenant.id,
      familyId: family.familyId,
      parentId: family.parentId,
      tokenHash: hashSecret(refreshToken),
      userId: user.id,
      clientId,
      scope: scopes.join(' '),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.o.refreshTokenTtlDays * DAY_MS),
      usedAt: null,
      revokedAt: null,
      revokedReason: null,
    });
    const idToken = scopes.includes('openid')
      ? await this.o.signer.idToken({
          subject: user.id,
          tenantId: tenant.id,
          clientId,
          ...(scopes.includes('email')
            ? { email: { email: user.email, verified: user.emailVerifiedAt !== null } }
            : {}),
          ...(scopes.includes('profile') ? { name: user.name } : {}),
        })
      : undefined;
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
      ...(idToken === undefined ? {} : { id_token: idToken }),
    };
  }

  /**
   * Token revocation (RFC 7009): revokes the family of a refresh token. Unknown tokens, access
   * tokens (they expire within minutes) and tokens of another client change nothing; the answer
   * is the same either way.
   */
  async revoke(token: string | undefined, client: ClientCredentials, meta: RequestMeta): Promise<void> {
    const value = required(token, 'token');
    let clientId: string | undefined = client.id;
    if (client.secret !== undefined && client.id !== undefined) {
      const authenticated = await this.o.clients.authenticate(client.id, client.secret);
      if (!authenticated) throw oauthError('invalid_client', 'Client authentication failed.');
      clientId = authenticated.id;
    }
    await inTransaction(this.o.db, async () => {
      const row = await this.o.refreshTokens.findByHash(hashSecret(value), { forUpdate: true });
      if (!row || row.revokedAt !== null) return;
      if (clientId !== undefined && row.clientId !== clientId) return;
      const now = this.o.clock.now();
      await this.o.refreshTokens.revokeFamily(row.familyId, now, 'revoked');
      await this.o.audit.record({
        tenantId: row.tenantId,
        actor: { type: 'anonymous', id: null },
        action: 'token_revoked',
        target: { type: 'user', id: row.userId },
        meta,
        details: { familyId: row.familyId, clientId: row.clientId },
      });
    });
  }

  /** Ends the session of a refresh token of the signed-in user (its whole family). */
  async logout(principal: Principal, refreshToken: string, meta: RequestMeta): Promise<void> {
    await inTransaction(this.o.db, async () => {
      const row = await this.o.refreshTokens.findByHash(hashSecret(refreshToken), { forUpdate: true });
      // Someone else's token changes nothing, and the answer does not say so.
      if (!row || row.tenantId !== principal.tenantId || row.userId !== principal.subject) return;
      const now = this.o.clock.now();
      const revoked = await this.o.refreshTokens.revokeFamily(row.familyId, now, 'logout');
      await this.o.audit.record({
        tenantId: row.tenantId,
        actor: { type: 'user', id: principal.subject },
        action: 'logout',
        target: { type: 'user', id: row.userId },
        meta,
        details: { familyId: row.familyId, revoked },
      });
    });
  }

  /** OpenID Connect userinfo of the signed-in user. */
  async userinfo(principal: Principal): Promise<UserInfo> {
    const [user, tenant] = await Promise.all([
      this.o.users.find(principal.tenantId, principal.subject),
      this.o.tenants.find(principal.tenantId),
    ]);
    if (!user || !tenant) throw identityErrors.user_not_found(`No user ${principal.subject}`);
    return {
      sub: user.id,
      email: user.email,
      email_verified: user.emailVerifiedAt !== null,
      name: user.name,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      roles: [...user.roles],
    };
  }

  /** The OpenID Provider configuration (discovery document) under the issuer. */
  discovery(): Discovery {
    const issuer = this.o.signer.issuer;
    const authMethods = ['client_secret_basic', 'client_secret_post', 'none'];
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      userinfo_endpoint: `${issuer}/userinfo`,
      grant_types_supported: [...GRANT_TYPES],
      // No authorization endpoint: first-party apps use the password grant, machines client credentials.
      response_types_supported: [],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['EdDSA'],
      token_endpoint_auth_methods_supported: authMethods,
      revocation_endpoint_auth_methods_supported: authMethods,
      scopes_supported: [...SUPPORTED_SCOPES],
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'jti',
        'tid',
        'roles',
        'permissions',
        'client_id',
        'email',
        'email_verified',
        'name',
      ],
    };
  }
}
