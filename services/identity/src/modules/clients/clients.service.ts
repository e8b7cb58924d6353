import { apiClientCreatedV1, apiClientRevokedV1 } from '@only/contracts/identity';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { identityErrors } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import { hashSecret, newSecret, secretMatches } from '../../security/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertGrantable, type Grantable, type RolesService } from '../roles/roles.service.ts';
import { toApiClient, type ApiClient, type CreateClientInput, type CreatedApiClient } from './clients.dto.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { ApiClientRow, FirstPartyClientRow } from './clients.table.ts';

/** The first-party web app: a public client (no secret) that signs users in with their password. */
export const WEB_APP_CLIENT = {
  id: 'only-web',
  name: 'Only web app',
  grantTypes: ['password', 'refresh_token'],
} as const;

/** API clients (machine credentials of a tenant) and first-party apps. */
export class ClientsService {
  private readonly db: Database;
  private readonly repository: ClientsRepository;
  private readonly roles: RolesService;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly audit: AuditService;

  constructor(deps: {
    db: Database;
    repository: ClientsRepository;
    roles: RolesService;
    outbox: Outbox;
    clock: Clock;
    audit: AuditService;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.roles = deps.roles;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.audit = deps.audit;
  }

  /** Creates an API client; its secret is in this answer and nowhere else, ever. */
  async create(
    ctx: RequestContext,
    input: CreateClientInput,
    grantable: Grantable,
    meta: RequestMeta,
  ): Promise<CreatedApiClient> {
    return inTransaction(this.db, async () => {
      assertGrantable(grantable, await this.roles.resolveAssignable(ctx.tenantId, input.roles));
      const secret = newSecret();
      const row = await this.repository.insert({
        id: newId('cli'),
        tenantId: ctx.tenantId,
        name: input.name,
        roles: input.roles,
        secretHash: hashSecret(secret),
        createdBy: ctx.actor.id,
        createdAt: this.clock.now(),
      });
      const client = toApiClient(row);
      await this.outbox.emit(
        apiClientCreatedV1,
        { client: { id: client.id, name: client.name, roles: client.roles, createdAt: client.createdAt } },
        { ctx, aggregateId: client.id },
      );
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'client_created',
        target: { type: 'client', id: client.id },
        meta,
        details: { name: client.name, roles: client.roles },
      });
      return { ...client, secret };
    });
  }

  async list(ctx: RequestContext): Promise<{ items: ApiClient[] }> {
    return { items: (await this.repository.listLive(ctx.tenantId)).map(toApiClient) };
  }

  /** Revokes a client: it gets no more tokens (those it has expire within their short lifetime). */
  async revoke(ctx: RequestContext, id: string, meta: RequestMeta): Promise<void> {
    await inTransaction(this.db, async () => {
      const current = await this.repository.findLive(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw identityErrors.client_not_found(`No API client ${id}`);
      const revokedAt = this.clock.now();
      await this.repository.revoke(ctx.tenantId, id, revokedAt);
      await this.outbox.emit(
        apiClientRevokedV1,
        { clientId: id, revokedAt: revokedAt.toISOString() },
        { ctx, aggregateId: id },
      );
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'client_revoked',
        target: { type: 'client', id },
        meta,
        details: { name: current.name },
      });
    });
  }

  /**
   * The live API client these credentials authenticate, or undefined (unknown id, wrong secret,
   * revoked): the caller cannot tell which.
   */
  async authenticate(id: string, secret: string): Promise<ApiClientRow | undefined> {
    const row = await this.repository.findForAuthentication(id);
    // Compared even for an unknown id, against a hash of nothing, to take the same time.
    const matches = secretMatches(secret, row?.secretHash ?? hashSecret(''));
    if (!row || !matches || row.revokedAt !== null) return undefined;
    await this.repository.touch(id, this.clock.now());
    return row;
  }

  /** The tenant of an API client (revoked or not), to audit failed authentications in it. */
  async findTenantOf(id: string): Promise<string | undefined> {
    return (await this.repository.findForAuthentication(id))?.tenantId;
  }

  /** A first-party app by its client id. */
  findFirstParty(id: string): Promise<FirstPartyClientRow | undefined> {
    return this.repository.findFirstParty(id);
  }

  /** Registers the first-party apps that ship with Only (idempotent). */
  async ensureFirstPartyClients(): Promise<void> {
    await this.repository.ensureFirstParty({
      id: WEB_APP_CLIENT.id,
      name: WEB_APP_CLIENT.name,
      grantTypes: [...WEB_APP_CLIENT.grantTypes],
      createdAt: this.clock.now(),
    });
  }
}
