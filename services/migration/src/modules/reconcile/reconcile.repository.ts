// Stored reconciliation runs and their discrepancies. Every function works inside the tenant's
// scope (row-level security) and filters by tenant as well; lists are keyset-paginated by id.
import { executor, withTenantScope, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { QuarantineError } from '../runs/runs.table.ts';
import {
  reconcileDiscrepancies,
  reconcileRuns,
  type DiscrepancyCounts,
  type DiscrepancyKind,
  type EntityReconciliation,
  type FieldDiff,
  type ReconcileDiscrepancyRow,
  type ReconcileRunRow,
  type ReconcileStatus,
  type ReconcileTrigger,
} from './reconcile.table.ts';

/** A reconciliation run as the API and the reports show it. */
export interface ReconcileRun {
  readonly id: string;
  readonly tenantId: string;
  readonly mappingName: string;
  readonly mappingHash: string;
  /** Without its password. */
  readonly sourceUrl: string;
  readonly trigger: ReconcileTrigger;
  readonly status: ReconcileStatus;
  /** Entities asked for; null when every entity of the mapping was. */
  readonly entityFilter: readonly string[] | null;
  /** Totals over the entities; `quarantined` rows are not discrepancies. */
  readonly counts: DiscrepancyCounts;
  readonly entities: readonly EntityReconciliation[];
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** One discrepancy of a run. */
export interface Discrepancy {
  readonly id: string;
  readonly runId: string;
  readonly entity: string;
  readonly kind: DiscrepancyKind;
  readonly legacyKey: string | null;
  readonly onlyId: string | null;
  readonly fields: readonly FieldDiff[];
  readonly errors: readonly QuarantineError[] | null;
}

/** A discrepancy as a run finds it (id and run are added when stored). */
export type NewDiscrepancy = Omit<Discrepancy, 'id' | 'runId'>;

/** One page of a keyset-paginated list. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `after`/`before` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const MAX_LIMIT = 1000;
const limitOf = (limit: number | undefined, fallback: number) =>
  Math.max(1, Math.min(MAX_LIMIT, Math.trunc(limit ?? fallback)));

function toRun(row: ReconcileRunRow): ReconcileRun {
  return {
    id: row.id,
    tenantId: row.tenantId,
    mappingName: row.mappingName,
    mappingHash: row.mappingHash,
    sourceUrl: row.sourceUrl,
    trigger: row.trigger,
    status: row.status,
    entityFilter: row.entityFilter ?? null,
    counts: { missing: row.missing, extra: row.extra, changed: row.changed, quarantined: row.quarantined },
    entities: row.entities,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

function toDiscrepancy(row: ReconcileDiscrepancyRow): Discrepancy {
  return {
    id: row.id,
    runId: row.runId,
    entity: row.entity,
    kind: row.kind,
    legacyKey: row.legacyKey,
    onlyId: row.onlyId,
    fields: row.fields,
    errors: row.errors ?? null,
  };
}

/** Stores a new run as `running`. */
export async function createReconcileRun(
  db: Database,
  run: {
    readonly tenantId: string;
    readonly mappingName: string;
    readonly mappingHash: string;
    readonly sourceUrl: string;
    readonly trigger: ReconcileTrigger;
    readonly entityFilter: readonly string[] | null;
  },
): Promise<string> {
  const id = newId('rrun');
  await withTenantScope(run.tenantId, () =>
    executor(db)
      .insert(reconcileRuns)
      .values({
        id,
        tenantId: run.tenantId,
        mappingName: run.mappingName,
        mappingHash: run.mappingHash,
        sourceUrl: run.sourceUrl,
        trigger: run.trigger,
        status: 'running',
        entityFilter: run.entityFilter === null ? null : [...run.entityFilter],
      }),
  );
  return id;
}

/** Stores discrepancies of a run. */
export async function insertDiscrepancies(
  db: Database,
  tenantId: string,
  runId: string,
  items: readonly NewDiscrepancy[],
): Promise<void> {
  if (items.length === 0) return;
  await withTenantScope(tenantId, () =>
    executor(db)
      .insert(reconcileDiscrepancies)
      .values(
        items.map((item) => ({
          id: newId('rdif'),
          tenantId,
          runId,
          entity: item.entity,
          kind: item.kind,
          legacyKey: item.legacyKey,
          onlyId: item.onlyId,
          fields: [...item.fields],
          errors: item.errors === null ? null : [...item.errors],
        })),
      ),
  );
}

/** Ends a run with its outcome. */
export async function finishReconcileRun(
  db: Database,
  tenantId: string,
  runId: string,
  outcome: {
    readonly status: Exclude<ReconcileStatus, 'running'>;
    readonly entities: readonly EntityReconciliation[];
    readonly counts: DiscrepancyCounts;
    readonly error: string | null;
  },
): Promise<void> {
  await withTenantScope(tenantId, () =>
    executor(db)
      .update(reconcileRuns)
      .set({
        status: outcome.status,
        entities: [...outcome.entities],
        missing: outcome.counts.missing,
        extra: outcome.counts.extra,
        changed: outcome.counts.changed,
        quarantined: outcome.counts.quarantined,
        error: outcome.error,
        finishedAt: sql`now()`,
      })
      .where(and(eq(reconcileRuns.tenantId, tenantId), eq(reconcileRuns.id, runId))),
  );
}

/** A tenant's runs, newest first; `before` is the `nextCursor` of the previous page. */
export async function listReconcileRuns(
  db: Database,
  tenantId: string,
  options: { readonly limit?: number; readonly before?: string } = {},
): Promise<Page<ReconcileRun>> {
  const limit = limitOf(options.limit, 20);
  const rows = await withTenantScope(tenantId, () =>
    executor(db)
      .select()
      .from(reconcileRuns)
      .where(
        and(
          eq(reconcileRuns.tenantId, tenantId),
          options.before === undefined ? undefined : lt(reconcileRuns.id, options.before),
        ),
      )
      .orderBy(desc(reconcileRuns.id))
      .limit(limit + 1),
  );
  const items = rows.slice(0, limit).map(toRun);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** One run of the tenant; undefined when the tenant has no such run. */
export async function findReconcileRun(
  db: Database,
  tenantId: string,
  runId: string,
): Promise<ReconcileRun | undefined> {
  const [row] = await withTenantScope(tenantId, () =>
    executor(db)
      .select()
      .from(reconcileRuns)
      .where(and(eq(reconcileRuns.tenantId, tenantId), eq(reconcileRuns.id, runId))),
  );
  return row === undefined ? undefined : toRun(row);
}

/** Filters and paging of {@link listDiscrepancies}. */
export interface DiscrepancyQuery {
  readonly entity?: string;
  readonly kind?: DiscrepancyKind;
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly after?: string;
}

/** Discrepancies of a run in the order they were found. */
export async function listDiscrepancies(
  db: Database,
  tenantId: string,
  runId: string,
  query: DiscrepancyQuery = {},
): Promise<Page<Discrepancy>> {
  const limit = limitOf(query.limit, 100);
  const rows = await withTenantScope(tenantId, () =>
    executor(db)
      .select()
      .from(reconcileDiscrepancies)
      .where(
        and(
          eq(reconcileDiscrepancies.tenantId, tenantId),
          eq(reconcileDiscrepancies.runId, runId),
          query.entity === undefined ? undefined : eq(reconcileDiscrepancies.entity, query.entity),
          query.kind === undefined ? undefined : eq(reconcileDiscrepancies.kind, query.kind),
          query.after === undefined ? undefined : gt(reconcileDiscrepancies.id, query.after),
        ),
      )
      .orderBy(asc(reconcileDiscrepancies.id))
      .limit(limit + 1),
  );
  const items = rows.slice(0, limit).map(toDiscrepancy);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** One run with a page of its discrepancies; undefined when the tenant has no such run. */
export async function getReconcileRun(
  db: Database,
  tenantId: string,
  runId: string,
  query: DiscrepancyQuery = {},
): Promise<{ readonly run: ReconcileRun; readonly discrepancies: Page<Discrepancy> } | undefined> {
  const run = await findReconcileRun(db, tenantId, runId);
  if (run === undefined) return undefined;
  return { run, discrepancies: await listDiscrepancies(db, tenantId, runId, query) };
}

/** Every discrepancy of a run, page by page (for reports: memory holds one page). */
export async function* allDiscrepancies(
  db: Database,
  tenantId: string,
  runId: string,
  query: Omit<DiscrepancyQuery, 'after' | 'limit'> = {},
): AsyncGenerator<Discrepancy> {
  let after: string | undefined;
  for (;;) {
    const page = await listDiscrepancies(db, tenantId, runId, {
      ...query,
      limit: MAX_LIMIT,
      ...(after === undefined ? {} : { after }),
    });
    yield* page.items;
    if (page.nextCursor === null) return;
    after = page.nextCursor;
  }
}
