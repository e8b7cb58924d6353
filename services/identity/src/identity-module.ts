import { API_AUDIENCE } from '@only/contracts/auth';
import {
  cachedMachineTokens,
  createTokenVerifier,
  localKeySource,
  type MachineTokenSource,
  type TokenVerifier,
} from '@only/platform/auth';
import { systemClock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { enableIdempotency } from '@only/platform/http';
import {
  createServiceKernel,
  type ServiceDependencies,
  type ServiceKernel,
  type ServiceModule,
} from '@only/platform/service';
import type { JSONWebKeySet } from 'jose';
import { identityPlatformTables } from './db/schema.ts';
import { IdentityHousekeeping } from './housekeeping.ts';
import { identityMigrations } from './migrations.ts';
import { AccountService } from './modules/account/account.service.ts';
import { accountRoutes } from './modules/account/account.routes.ts';
import { OneTimeTokens } from './modules/account/one-time-tokens.ts';
import { OneTimeTokensRepository } from './modules/account/one-time-tokens.repository.ts';
import { AuditRepository } from './modules/audit/audit.repository.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { ClientsRepository } from './modules/clients/clients.repository.ts';
import { clientsRoutes } from './modules/clients/clients.routes.ts';
import { ClientsService } from './modules/clients/clients.service.ts';
import { SigningKeysRepository } from './modules/keys/keys.repository.ts';
import { SigningKeys } from './modules/keys/keys.service.ts';
import { RolesRepository } from './modules/roles/roles.repository.ts';
import { rolesRoutes } from './modules/roles/roles.routes.ts';
import { RolesService } from './modules/roles/roles.service.ts';
import { TenantsRepository } from './modules/tenants/tenants.repository.ts';
import { tenantsRoutes } from './modules/tenants/tenants.routes.ts';
import { TenantsService } from './modules/tenants/tenants.service.ts';
import { TokenSigner } from './modules/tokens/access-tokens.ts';
import { RefreshTokensRepository } from './modules/tokens/tokens.repository.ts';
import { tokensRoutes } from './modules/tokens/tokens.routes.ts';
import { TokensService } from './modules/tokens/tokens.service.ts';
import { UnknownAccountsRepository } from './modules/tokens/unknown-accounts.repository.ts';
import { UsersRepository } from './modules/users/users.repository.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { UsersService } from './modules/users/users.service.ts';
import { PasswordHasher } from './security/password-hasher.ts';
import { DEMO_TENANTS, seedDemoIdentity, type DemoIdentity } from './seed/demo-data.ts';

/** Settings of the identity service beyond what every service gets. */
export interface IdentitySettings {
  /** Issuer of access tokens (`iss`) and base URL of the OpenID endpoints: `<gateway URL>/api/identity`. */
  readonly issuer: string;
  /** Lifetime of access tokens; 900 (15 minutes) by default. */
  readonly accessTokenTtlSeconds?: number;
  /** Lifetime of each refresh token; 30 days by default. */
  readonly refreshTokenTtlDays?: number;
  /** Age after which the signing key is replaced; 30 days by default. */
  readonly keyRotationDays?: number;
  /** How often the key age is checked; hourly by default. */
  readonly keyCheckIntervalMs?: number;
  /** Password hashing; argon2id with OWASP's cost by default (tests may pass a cheaper one). */
  readonly passwordHasher?: PasswordHasher;
  /**
   * The deployment's service secret: platform services then get machine tokens at the token
   * endpoint with secrets derived from it. Embedded mode needs none (see `serviceTokens`).
   */
  readonly serviceSecret?: string;
}

/** What the identity service needs from its host. */
export type IdentityDependencies = ServiceDependencies & IdentitySettings;

/** The identity service as a module, plus what hosts and tests need from it. */
export interface IdentityModule extends ServiceModule {
  readonly kernel: ServiceKernel;
  readonly issuer: string;
  readonly tenants: TenantsService;
  readonly users: UsersService;
  readonly roles: RolesService;
  readonly clients: ClientsService;
  readonly tokens: TokensService;
  readonly account: AccountService;
  readonly audit: AuditService;
  readonly keys: SigningKeys;
  /** Deletes expired refresh and one-time tokens (hourly once started). */
  readonly housekeeping: IdentityHousekeeping;
  /** Public keys of every signing key not yet retired: `localKeySource(() => module.jwks())`. */
  jwks(): Promise<JSONWebKeySet>;
  /** A verifier of this module's access tokens, reading its keys in-process (no HTTP). */
  tokenVerifier(): TokenVerifier;
  /** Every allowed origin of every active tenant, for the gateway's CORS. */
  allowedOrigins(): Promise<string[]>;
  /**
   * Machine tokens of platform service `service` (see `SERVICE_PERMISSIONS`), signed in this
   * process: how embedded mode's services call each other for work no user started.
   */
  serviceTokens(service: string): MachineTokenSource;
  /** Makes a new signing key active now; the old one stays published until its tokens expire. */
  rotateKeys(): Promise<{ kid: string }>;
  /** The demo tenants, users and web client (idempotent), with what was seeded. */
  seedDemoIdentity(correlationId?: string): Promise<DemoIdentity>;
  /** The demo tenant `ctx` names (with its users and the web client); nothing for other tenants. */
  seedDemo(ctx: RequestContext): Promise<void>;
}

/** Builds the identity service: tenants, users, roles, API clients, OAuth2/OIDC tokens, audit log. */
export function createIdentityModule(deps: IdentityDependencies): IdentityModule {
  const logger = deps.logger.child({ module: 'identity' });
  const issuer = deps.issuer.replace(/\/+$/, '');
  const accessTokenTtlSeconds = deps.accessTokenTtlSeconds ?? 900;
  const kernel = createServiceKernel({
    name: 'identity',
    db: deps.db,
    bus: deps.bus,
    logger,
    tables: identityPlatformTables,
  });
  const clock = deps.clock ?? systemClock;
  const { db } = deps;
  const outbox = kernel.outbox;
  const hasher = deps.passwordHasher ?? new PasswordHasher();

  const audit = new AuditService({ db, repository: new AuditRepository(db), clock });
  const tenants = new TenantsService({ db, repository: new TenantsRepository(db), outbox, clock, audit });
  const roles = new RolesService({ db, repository: new RolesRepository(db), outbox, clock, audit });
  const clients = new ClientsService({
    db,
    repository: new ClientsRepository(db),
    roles,
    outbox,
    clock,
    audit,
  });
  const usersRepository = new UsersRepository(db);
  const refreshTokens = new RefreshTokensRepository(db);
  const oneTimeTokensRepository = new OneTimeTokensRepository(db);
  const oneTimeTokens = new OneTimeTokens(oneTimeTokensRepository);
  const unknownAccounts = new UnknownAccountsRepository(db);
  const housekeeping = new IdentityHousekeeping({
    refreshTokens,
    oneTimeTokens: oneTimeTokensRepository,
    unknownAccounts,
    clock,
    logger,
    intervalMs: 60 * 60 * 1000,
  });
  const users = new UsersService({
    db,
    repository: usersRepository,
    roles,
    tenants,
    oneTimeTokens,
    refreshTokens,
    hasher,
    outbox,
    clock,
    audit,
  });
  const account = new AccountService({
    db,
    users: usersRepository,
    tenants,
    oneTimeTokens,
    refreshTokens,
    hasher,
    outbox,
    clock,
    audit,
    logger,
  });
  const keys = new SigningKeys({
    db,
    repository: new SigningKeysRepository(db),
    clock,
    logger,
    accessTokenTtlSeconds,
    rotationDays: deps.keyRotationDays ?? 30,
    ...(deps.keyCheckIntervalMs === undefined ? {} : { checkIntervalMs: deps.keyCheckIntervalMs }),
  });
  const tokens = new TokensService({
    db,
    users: usersRepository,
    tenants,
    roles,
    clients,
    refreshTokens,
    unknownAccounts,
    signer: new TokenSigner({ keys, clock, issuer, accessTokenTtlSeconds }),
    hasher,
    clock,
    audit,
    logger,
    refreshTokenTtlDays: deps.refreshTokenTtlDays ?? 30,
    ...(deps.serviceSecret === undefined ? {} : { serviceSecret: deps.serviceSecret }),
  });
  const seed = (correlationId = 'seed-demo') => seedDemoIdentity(correlationId, { tenants, users, clients });

  return {
    name: 'identity',
    description:
      'Tenants (white-label), users, roles and permissions, API clients, OAuth2/OIDC tokens, audit log.',
    migrations: identityMigrations,
    readinessChecks: [
      {
        name: 'identity.database',
        check: async () => {
          await deps.pingDatabase();
          return true;
        },
      },
      { name: 'identity.bus', check: () => deps.bus.isHealthy() },
    ],
    kernel,
    issuer,
    tenants,
    users,
    roles,
    clients,
    tokens,
    account,
    audit,
    keys,
    housekeeping,
    jwks: () => keys.jwks(),
    tokenVerifier: () =>
      createTokenVerifier({
        // No cooldown: reading the keys is one small in-process query, and a token signed with a
        // key rotated in a moment ago must verify at once.
        keys: localKeySource(() => keys.jwks(), { cooldownMs: 0 }),
        issuer,
        audience: API_AUDIENCE,
      }),
    allowedOrigins: () => tenants.allowedOrigins(),
    serviceTokens: (service) =>
      cachedMachineTokens({ mint: (tenantId) => tokens.serviceToken(service, tenantId) }),
    rotateKeys: () => keys.rotate(),
    async registerRoutes(app) {
      enableIdempotency(app, kernel.idempotency);
      tenantsRoutes(app, tenants);
      usersRoutes(app, users);
      accountRoutes(app, account);
      rolesRoutes(app, roles);
      clientsRoutes(app, clients);
      auditRoutes(app, audit);
      await tokensRoutes(app, { tokens, keys });
    },
    async start() {
      kernel.start();
      housekeeping.start();
      // The first key is made now (or on first use, if the database is not ready yet).
      await keys.start();
      await clients.ensureFirstPartyClients().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not register the first-party clients yet');
      });
    },
    async stop() {
      keys.stop();
      housekeeping.stop();
      await kernel.stop();
    },
    seedDemoIdentity: seed,
    async seedDemo(ctx) {
      // The demo tenant the context names, if it is one: hosts call this once per demo tenant.
      const tenant = DEMO_TENANTS.filter((t) => t.id === ctx.tenantId);
      await seedDemoIdentity(ctx.correlationId, { tenants, users, clients }, tenant);
    },
  };
}
