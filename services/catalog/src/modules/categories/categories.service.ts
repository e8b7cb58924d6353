import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { z } from 'zod';
import { catalogErrors } from '../../errors.ts';
import type { CategoriesRepository } from './categories.repository.ts';
import type { CategoryRow } from './categories.table.ts';
import {
  toCategory,
  type Category,
  type CreateCategoryInput,
  type ListCategoriesQuery,
  type UpdateCategoryInput,
} from './categories.dto.ts';

const NAME_KEY = 'categories_tenant_parent_name_key';
const cursorSchema = z.object({ id: z.string() });

function nameTaken(name: string) {
  return catalogErrors.category_name_taken(`A category named ${name} already exists at this place`, {
    field: 'name',
  });
}

function notFound(id: string) {
  return catalogErrors.category_not_found(`No category ${id}`);
}

/** Categories: a tree per tenant. Products are placed in categories through their `categoryIds`. */
export class CategoriesService {
  private readonly db: Database;
  private readonly repository: CategoriesRepository;
  private readonly clock: Clock;

  constructor(deps: { db: Database; repository: CategoriesRepository; clock: Clock }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  async create(ctx: RequestContext, input: CreateCategoryInput): Promise<Category> {
    try {
      return await inTransaction(this.db, async () => {
        const parentId = input.parentId ?? null;
        if (parentId !== null) await this.requireParent(ctx, parentId);
        const now = this.clock.now();
        const row = await this.repository.insert({
          id: newId('cat'),
          tenantId: ctx.tenantId,
          name: input.name,
          description: input.description ?? null,
          parentId,
          createdAt: now,
          updatedAt: now,
        });
        return toCategory(row);
      });
    } catch (error) {
      if (isUniqueViolation(error, NAME_KEY)) throw nameTaken(input.name);
      throw error;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<Category> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return toCategory(row);
  }

  async update(ctx: RequestContext, id: string, input: UpdateCategoryInput): Promise<Category> {
    try {
      return await inTransaction(this.db, async () => {
        const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
        if (!current) throw notFound(id);
        const changes: Partial<Pick<CategoryRow, 'name' | 'description' | 'parentId'>> = {};
        if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
        if (input.description !== undefined && input.description !== current.description)
          changes.description = input.description;
        if (input.parentId !== undefined && input.parentId !== current.parentId) {
          if (input.parentId !== null) {
            await this.requireParent(ctx, input.parentId);
            // Moving a category under itself or its own subtree would cut it off from the tree.
            const above = await this.repository.ancestorsOf(ctx.tenantId, input.parentId);
            if (above.includes(id)) {
              throw catalogErrors.category_cycle(`${input.parentId} is ${id} or one of its subcategories`, {
                field: 'parentId',
              });
            }
          }
          changes.parentId = input.parentId;
        }
        if (Object.keys(changes).length === 0) return toCategory(current);
        return toCategory(await this.repository.update(ctx.tenantId, id, changes, this.clock.now()));
      });
    } catch (error) {
      if (isUniqueViolation(error, NAME_KEY)) throw nameTaken(input.name ?? '');
      throw error;
    }
  }

  /** Deletes a category without subcategories; its products stay, without it. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await inTransaction(this.db, async () => {
      const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw notFound(id);
      if (await this.repository.hasChildren(ctx.tenantId, id)) {
        throw catalogErrors.category_has_children(`Category ${id} has subcategories`);
      }
      await this.repository.delete(ctx.tenantId, id);
    });
  }

  async list(
    ctx: RequestContext,
    query: ListCategoriesQuery,
  ): Promise<{ items: Category[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const parentId = query.parentId === 'root' ? null : query.parentId;
    const rows = await this.repository.list(ctx.tenantId, parentId === undefined ? {} : { parentId }, {
      limit: query.limit,
      afterId: after,
    });
    return toPage(rows, query.limit, toCategory, (row) => ({ id: row.id }));
  }

  /** Fails with a 422 naming `categoryIds` unless every id is a category of the tenant. */
  async requireAll(ctx: RequestContext, ids: readonly string[]): Promise<void> {
    const found = await this.repository.existing(ctx.tenantId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw catalogErrors.unknown_category(`No category ${missing.join(', ')} in this tenant`, {
        field: 'categoryIds',
        categoryIds: missing,
      });
    }
  }

  private async requireParent(ctx: RequestContext, parentId: string): Promise<void> {
    if (!(await this.repository.find(ctx.tenantId, parentId))) {
      throw catalogErrors.unknown_category(`No category ${parentId} in this tenant`, { field: 'parentId' });
    }
  }
}
