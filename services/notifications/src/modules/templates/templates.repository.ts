import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { templates, type TemplateRow } from './templates.table.ts';

/** Tenants' own templates; every query is scoped to one tenant. */
export class TemplatesRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async find(tenantId: string, kind: string, locale: string): Promise<TemplateRow | undefined> {
    const [row] = await executor(this.db)
      .select()
      .from(templates)
      .where(and(eq(templates.tenantId, tenantId), eq(templates.kind, kind), eq(templates.locale, locale)));
    return row;
  }

  /** The tenant's templates of one kind in any of `locales`. */
  findIn(tenantId: string, kind: string, locales: readonly string[]): Promise<TemplateRow[]> {
    return executor(this.db)
      .select()
      .from(templates)
      .where(
        and(
          eq(templates.tenantId, tenantId),
          eq(templates.kind, kind),
          inArray(templates.locale, [...locales]),
        ),
      );
  }

  list(tenantId: string): Promise<TemplateRow[]> {
    return executor(this.db)
      .select()
      .from(templates)
      .where(eq(templates.tenantId, tenantId))
      .orderBy(asc(templates.kind), asc(templates.locale));
  }

  /** Creates or replaces the tenant's template of a kind and language. */
  async upsert(row: typeof templates.$inferInsert): Promise<TemplateRow> {
    const [stored] = await executor(this.db)
      .insert(templates)
      .values(row)
      .onConflictDoUpdate({
        target: [templates.tenantId, templates.kind, templates.locale],
        set: {
          subject: sql`excluded.subject`,
          html: sql`excluded.html`,
          text: sql`excluded.text`,
          sms: sql`excluded.sms`,
          inAppTitle: sql`excluded.in_app_title`,
          inAppBody: sql`excluded.in_app_body`,
          updatedAt: sql`excluded.updated_at`,
          version: sql`${templates.version} + 1`,
        },
      })
      .returning();
    if (!stored) throw new Error('template upsert returned no row');
    return stored;
  }

  async delete(tenantId: string, kind: string, locale: string): Promise<boolean> {
    const deleted = await executor(this.db)
      .delete(templates)
      .where(and(eq(templates.tenantId, tenantId), eq(templates.kind, kind), eq(templates.locale, locale)))
      .returning({ id: templates.id });
    return deleted.length > 0;
  }
}
