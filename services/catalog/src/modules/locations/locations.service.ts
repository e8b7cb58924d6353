import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { z } from 'zod';
import { catalogErrors } from '../../errors.ts';
import {
  toLocation,
  type CreateLocationInput,
  type ListLocationsQuery,
  type Location,
  type UpdateLocationInput,
} from './locations.dto.ts';
import type { LocationsRepository } from './locations.repository.ts';
import type { LocationRow } from './locations.table.ts';

const CODE_KEY = 'locations_tenant_code_key';
const cursorSchema = z.object({ id: z.string() });

/** What a tenant's first stock change creates when it has no location yet. */
const FIRST_LOCATION = { code: 'MAIN', name: 'Main location' } as const;

function codeTaken(code: string) {
  return catalogErrors.location_code_taken(`A location with code ${code} already exists`, { field: 'code' });
}

function notFound(id: string) {
  return catalogErrors.location_not_found(`No location ${id}`);
}

/**
 * Stock locations. Every tenant with a location has exactly one default location, always active:
 * stock changes and reservations that name no location use it.
 */
export class LocationsService {
  private readonly db: Database;
  private readonly repository: LocationsRepository;
  private readonly clock: Clock;

  constructor(deps: { db: Database; repository: LocationsRepository; clock: Clock }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  async create(ctx: RequestContext, input: CreateLocationInput): Promise<Location> {
    try {
      return await inTransaction(this.db, async () => {
        const now = this.clock.now();
        const current = await this.repository.findDefault(ctx.tenantId);
        const isDefault = input.active && (input.isDefault === true || current === undefined);
        if (input.isDefault === true && !input.active) {
          throw catalogErrors.default_location_required('An inactive location cannot be the default', {
            field: 'isDefault',
          });
        }
        if (isDefault && current) await this.repository.clearDefault(ctx.tenantId, now);
        const row = await this.repository.insert({
          id: newId('loc'),
          tenantId: ctx.tenantId,
          code: input.code,
          name: input.name,
          isDefault,
          active: input.active,
          createdAt: now,
          updatedAt: now,
        });
        return toLocation(row);
      });
    } catch (error) {
      if (isUniqueViolation(error, CODE_KEY)) throw codeTaken(input.code);
      throw error;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<Location> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return toLocation(row);
  }

  async update(ctx: RequestContext, id: string, input: UpdateLocationInput): Promise<Location> {
    try {
      return await inTransaction(this.db, async () => {
        const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
        if (!current) throw notFound(id);
        const changes: Partial<Pick<LocationRow, 'code' | 'name' | 'isDefault' | 'active'>> = {};
        if (input.code !== undefined && input.code !== current.code) changes.code = input.code;
        if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
        if (input.active !== undefined && input.active !== current.active) changes.active = input.active;
        if (input.isDefault === true && !current.isDefault) changes.isDefault = true;
        const active = changes.active ?? current.active;
        if ((current.isDefault || changes.isDefault) && !active) {
          throw catalogErrors.default_location_required(
            'The default location must stay active; make another location the default first',
            { field: changes.isDefault ? 'isDefault' : 'active' },
          );
        }
        if (Object.keys(changes).length === 0) return toLocation(current);
        const now = this.clock.now();
        if (changes.isDefault) await this.repository.clearDefault(ctx.tenantId, now);
        return toLocation(await this.repository.update(ctx.tenantId, id, changes, now));
      });
    } catch (error) {
      if (isUniqueViolation(error, CODE_KEY)) throw codeTaken(input.code ?? '');
      throw error;
    }
  }

  async list(
    ctx: RequestContext,
    query: ListLocationsQuery,
  ): Promise<{ items: Location[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(ctx.tenantId, { limit: query.limit, afterId: after });
    return toPage(rows, query.limit, toLocation, (row) => ({ id: row.id }));
  }

  /**
   * The location a stock change or reservation uses: the one named (which must exist and be
   * active; 422 naming `field` otherwise), or the tenant's default. Undefined when no location is
   * named and the tenant has none.
   */
  async resolve(
    ctx: RequestContext,
    locationId: string | undefined,
    field = 'locationId',
  ): Promise<LocationRow | undefined> {
    if (locationId === undefined) return this.repository.findDefault(ctx.tenantId);
    const row = await this.repository.find(ctx.tenantId, locationId);
    if (!row?.active) {
      throw catalogErrors.unknown_location(`No active location ${locationId} in this tenant`, { field });
    }
    return row;
  }

  /**
   * Like {@link resolve}, but a tenant without any location gets its first one (`MAIN`), so that
   * receiving goods needs no setup. Must run inside the caller's transaction.
   */
  async resolveOrCreateDefault(
    ctx: RequestContext,
    locationId: string | undefined,
    field = 'locationId',
  ): Promise<LocationRow> {
    const found = await this.resolve(ctx, locationId, field);
    if (found) return found;
    const now = this.clock.now();
    return this.repository.insert({
      id: newId('loc'),
      tenantId: ctx.tenantId,
      ...FIRST_LOCATION,
      isDefault: true,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
  }
}
