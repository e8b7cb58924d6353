import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database, MigrationSource } from '../db/database.ts';
import { queryRows } from '../db/raw-query.ts';
import type { ReadinessCheck } from '../http/health.ts';

/**
 * Readiness check that the service's schema has every committed migration applied: outside
 * embedded mode services never migrate on boot, so a service started before `only db migrate`
 * reports itself unready instead of failing on its first query.
 */
export function migrationsAppliedCheck(db: Database, source: MigrationSource): ReadinessCheck {
  let expected: number | undefined;
  return {
    name: `${source.schema}.migrations`,
    check: async () => {
      expected ??= (
        JSON.parse(await readFile(join(source.folder, 'meta', '_journal.json'), 'utf8')) as {
          entries: unknown[];
        }
      ).entries.length;
      const [row] = await queryRows<{ applied: number }>(
        db,
        sql`select count(*)::int as applied from ${sql.identifier(source.schema)}."__migrations"`,
      ).catch(() => [{ applied: 0 }]);
      if ((row?.applied ?? 0) < expected)
        throw new Error(
          `${String(row?.applied ?? 0)} of ${String(expected)} migrations applied; run \`only db migrate\``,
        );
      return true;
    },
  };
}
