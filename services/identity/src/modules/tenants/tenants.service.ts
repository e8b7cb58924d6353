import { tenantCreatedV1, tenantUpdatedV1 } from '@only/contracts/identity';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { afterCommit, inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { validationError, zodIssuesToViolations } from '@only/platform/errors';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { identityErrors } from '../../errors.ts';
import type { RequestMeta } from '../../request-meta.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  createTenantInput,
  toTenant,
  toTenantBranding,
  type CreateTenantInput,
  type Tenant,
  type TenantBranding,
  type UpdateTenantInput,
} from './tenants.dto.ts';
import type { TenantsRepository } from './tenants.repository.ts';
import type { TenantRow } from './tenants.table.ts';

const SLUG_INDEX = 'tenants_slug_key';
/** How long the allowed origins are served from memory; the gateway asks on every CORS check. */
const ORIGINS_TTL_MS = 30_000;

function slugTaken(slug: string) {
  return identityErrors.tenant_slug_taken(`Slug ${slug} is already taken`, { field: 'slug' });
}

/** Tenants: white-label settings, branding before sign-in, and the origins the gateway allows. */
export class TenantsService {
  private readonly db: Database;
  private readonly repository: TenantsRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly audit: AuditService;
  private origins: { list: Promise<string[]>; at: number } | undefined;

  constructor(deps: {
    db: Database;
    repository: TenantsRepository;
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

  /** Creates a tenant (provisioning and seeding; there is no public route for it). */
  async create(ctx: RequestContext, raw: CreateTenantInput, meta: RequestMeta): Promise<Tenant> {
    const parsed = createTenantInput.safeParse(raw, { reportInput: true });
    if (!parsed.success) throw validationError(zodIssuesToViolations(parsed.error.issues, 'body'));
    const input = parsed.data;
    const id = input.id ?? newId('ten');
    try {
      return await inTransaction(this.db, async () => {
        const now = this.clock.now();
        const row = await this.repository.insert({
          id,
          slug: input.slug,
          name: input.name,
          branding: input.branding,
          enabledApps: input.enabledApps,
          locale: input.locale,
          currency: input.currency,
          timezone: input.timezone,
          allowedOrigins: input.allowedOrigins,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        });
        const tenant = toTenant(row);
        const tenantCtx = { ...ctx, tenantId: id };
        await this.outbox.emit(tenantCreatedV1, { tenant }, { ctx: tenantCtx, aggregateId: id });
        await this.audit.record({
          tenantId: id,
          actor: ctx.actor,
          action: 'tenant_created',
          target: { type: 'tenant', id },
          meta,
          details: { slug: tenant.slug },
        });
        this.forgetOriginsAfterCommit();
        return tenant;
      });
    } catch (error) {
      if (isUniqueViolation(error, SLUG_INDEX)) throw slugTaken(input.slug);
      throw error;
    }
  }

  /** The tenant of the request. */
  async current(ctx: RequestContext): Promise<Tenant> {
    return toTenant(await this.row(ctx.tenantId));
  }

  /** A tenant by id, whatever its status; undefined if none. */
  async find(id: string): Promise<TenantRow | undefined> {
    return this.repository.find(id);
  }

  /** An active tenant by slug (case-insensitive); undefined if none or suspended. */
  async findActiveBySlug(slug: string): Promise<TenantRow | undefined> {
    const row = await this.repository.findBySlug(slug);
    return row?.status === 'active' ? row : undefined;
  }

  /** Name, branding, apps and locale of an active tenant: all the web app may know before sign-in. */
  async branding(slug: string): Promise<TenantBranding> {
    const row = await this.findActiveBySlug(slug);
    if (!row) throw identityErrors.tenant_not_found(`No tenant ${slug}`);
    return toTenantBranding(row);
  }

  async update(ctx: RequestContext, input: UpdateTenantInput, meta: RequestMeta): Promise<Tenant> {
    return inTransaction(this.db, async () => {
      const current = await this.repository.find(ctx.tenantId, { forUpdate: true });
      if (!current) throw identityErrors.tenant_not_found(`No tenant ${ctx.tenantId}`);
      const changes: Partial<Omit<TenantRow, 'id' | 'createdAt' | 'updatedAt' | 'version'>> = {};
      if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
      if (input.branding !== undefined) {
        const branding = {
          logoUrl: input.branding.logoUrl === undefined ? current.branding.logoUrl : input.branding.logoUrl,
          colors: { ...current.branding.colors, ...input.branding.colors },
          fontFamily:
            input.branding.fontFamily === undefined ? current.branding.fontFamily : input.branding.fontFamily,
        };
        if (JSON.stringify(branding) !== JSON.stringify(current.branding)) changes.branding = branding;
      }
      if (input.enabledApps !== undefined && !sameList(input.enabledApps, current.enabledApps))
        changes.enabledApps = input.enabledApps;
      if (input.locale !== undefined && input.locale !== current.locale) changes.locale = input.locale;
      if (input.currency !== undefined && input.currency !== current.currency)
        changes.currency = input.currency;
      if (input.timezone !== undefined && input.timezone !== current.timezone)
        changes.timezone = input.timezone;
      if (input.allowedOrigins !== undefined && !sameList(input.allowedOrigins, current.allowedOrigins))
        changes.allowedOrigins = input.allowedOrigins;
      const changed = Object.keys(changes);
      // Nothing differs: no write, no event.
      if (changed.length === 0) return toTenant(current);
      const tenant = toTenant(await this.repository.update(ctx.tenantId, changes, this.clock.now()));
      await this.outbox.emit(tenantUpdatedV1, { tenant, changed }, { ctx, aggregateId: tenant.id });
      await this.audit.record({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'tenant_updated',
        target: { type: 'tenant', id: tenant.id },
        meta,
        details: { changed },
      });
      if (changes.allowedOrigins !== undefined) this.forgetOriginsAfterCommit();
      return tenant;
    });
  }

  /**
   * Every allowed origin of every active tenant, for the gateway's CORS check; read from memory
   * for a few seconds, and at once again after a change made here.
   */
  async allowedOrigins(): Promise<string[]> {
    const now = Date.now();
    if (this.origins === undefined || now - this.origins.at > ORIGINS_TTL_MS) {
      const list = this.repository.activeOrigins();
      this.origins = { list, at: now };
      list.catch(() => {
        this.origins = undefined;
      });
    }
    return [...(await this.origins.list)];
  }

  private forgetOriginsAfterCommit(): void {
    afterCommit(() => {
      this.origins = undefined;
    });
  }

  private async row(id: string): Promise<TenantRow> {
    const row = await this.repository.find(id);
    if (!row) throw identityErrors.tenant_not_found(`No tenant ${id}`);
    return row;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
