// One source row → the row its target writer stores, or the reasons it cannot be: the mapping's
// transform, then the owning service's contract. Shared by `only migrate` (which loads the rows)
// and `only reconcile` (which compares them), so both see a legacy row the same way.
import { queryRows, type Database } from '@only/platform/db';
import { sql } from 'drizzle-orm';
import type { SourceRow } from '../connectors/index.ts';
import type { CompiledEntity, FieldError, RefResolver } from '../mapping/index.ts';
import type { QuarantineError } from '../runs/runs.table.ts';
import type { TargetWriter } from './target-writers.ts';

/** A reference that did not resolve: no id-map entry for that row of that entity. */
export interface UnresolvedRef {
  readonly entity: string;
  readonly legacyKey: string;
}

/** Outcome of {@link mapSourceRow}. */
export type MappedRow =
  | { readonly ok: true; readonly legacyKey: string; readonly row: unknown }
  | {
      readonly ok: false;
      /** Null when the row's own key is missing. */
      readonly legacyKey: string | null;
      readonly errors: readonly QuarantineError[];
      /** References among the errors whose rows are not in the id map. */
      readonly unresolved: readonly UnresolvedRef[];
    };

/** Maps one source row with the entity's transform and validates it with the writer's contract. */
export function mapSourceRow(
  entity: CompiledEntity,
  writer: TargetWriter,
  row: SourceRow,
  resolveRef: RefResolver,
): MappedRow {
  const result = entity.transform(row, { resolveRef });
  if (!result.ok) {
    const refs = entity.refKeys(row);
    const unresolved: UnresolvedRef[] = [];
    const errors = result.errors.map((error: FieldError): QuarantineError => {
      const ref = error.rule === 'ref' ? refs.find((r) => r.ref.field === error.field) : undefined;
      if (ref?.legacyKey != null) unresolved.push({ entity: ref.ref.entity, legacyKey: ref.legacyKey });
      return {
        field: error.field,
        rule: error.rule,
        message: error.message,
        ...(error.columns ? { columns: error.columns } : {}),
      };
    });
    return { ok: false, legacyKey: result.legacyKey, errors, unresolved };
  }
  const validated = writer.validate(result.value);
  if (!validated.ok) {
    return { ok: false, legacyKey: result.legacyKey, errors: validated.errors, unresolved: [] };
  }
  return { ok: true, legacyKey: result.legacyKey, row: validated.row };
}

/** Legacy keys to look up in the id map, per entity. */
export type WantedKeys = Map<string, Set<string>>;

/** The legacy keys a batch needs ids for: those its rows reference, and (`own`) the rows' own. */
export function wantedKeys(entity: CompiledEntity, rows: readonly SourceRow[], own: boolean): WantedKeys {
  const wanted: WantedKeys = new Map();
  const want = (name: string, key: string) => {
    let keys = wanted.get(name);
    if (keys === undefined) wanted.set(name, (keys = new Set()));
    keys.add(key);
  };
  for (const row of rows) {
    if (own) {
      try {
        want(entity.name, entity.legacyKey(row));
      } catch {
        // A row without its key is rejected by its transform.
      }
    }
    for (const ref of entity.refKeys(row)) if (ref.legacyKey !== null) want(ref.ref.entity, ref.legacyKey);
  }
  return wanted;
}

/** The key {@link lookupIds} files an id under. */
export const idKey = (entity: string, legacyKey: string): string => `${entity}\u0000${legacyKey}`;

// Keys per statement: well inside what one JSON parameter comfortably carries.
const LOOKUP_CHUNK = 20_000;

/** Only ids of the wanted legacy keys that the tenant's id map holds, by {@link idKey}. */
export async function lookupIds(
  db: Database,
  tenantId: string,
  wanted: WantedKeys,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [entity, keys] of wanted) {
    const list = [...keys];
    for (let i = 0; i < list.length; i += LOOKUP_CHUNK) {
      const found = await queryRows<{ legacy_key: string; only_id: string }>(
        db,
        sql`select legacy_key, only_id from migration.id_map
          where tenant_id = ${tenantId} and entity = ${entity}
            and legacy_key in (select jsonb_array_elements_text(${JSON.stringify(list.slice(i, i + LOOKUP_CHUNK))}::jsonb))`,
      );
      for (const row of found) ids.set(idKey(entity, row.legacy_key), row.only_id);
    }
  }
  return ids;
}
