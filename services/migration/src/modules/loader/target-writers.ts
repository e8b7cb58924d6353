// The owning services' tables as bulk-load targets: each validates a mapped row with the service's
// own create contract, upserts a batch with one multi-row INSERT … ON CONFLICT DO UPDATE, and says
// how its rows are stored, so reconciliation reads them back in the same terms.
import { createProductBody } from '@only/catalog';
import { computeTotals, createCustomerBody, createOrderBody } from '@only/orders';
import { orderStatusSchema } from '@only/contracts/orders';
import { queryRows, type Database } from '@only/platform/db';
import { zodIssuesToViolations } from '@only/platform/errors';
import { newId } from '@only/platform/ids';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { MappedValue } from '../mapping/index.ts';
import type { QuarantineError } from '../runs/runs.table.ts';

/** A mapped row that passed validation, in the shape its writer stores. */
export type Validated<R> = { ok: true; row: R } | { ok: false; errors: QuarantineError[] };

/** One row to write, with the Only id it keeps (from the id map) or gets. */
export interface WriteRow<R> {
  readonly id: string;
  readonly row: R;
}

/** How a stored column is read back and compared (see the reconcile module). */
export type StoredType = 'text' | 'integer' | 'timestamptz';

/** One column a writer stores a field of its validated row in. */
export interface StoredColumn {
  /** Field of the validated row. */
  readonly field: string;
  /** The column over the stored rows, e.g. `t.email`. */
  readonly sql: SQL;
  readonly type: StoredType;
  /** A null field is written as now(): the stored value is only comparable when the field is set. */
  readonly nowWhenNull?: boolean;
}

/**
 * Where and how a writer's rows are stored, for reading them back (reconciliation): a FROM item
 * whose main table is aliased `t`, how a row matches its `migration.id_map` row (aliased `m`), and
 * its columns in the validated row's terms.
 */
export interface StoredShape {
  /** The tables `from` reads (`schema.table`), e.g. to refresh their planner statistics. */
  readonly tables: readonly string[];
  readonly from: SQL;
  /** The tenant column of the main table. */
  readonly tenantId: SQL;
  /** The Only id of a stored row, as the id map holds it. */
  readonly id: SQL;
  /** The stored row of the id-map row `m`. */
  readonly matchesIdMap: SQL;
  /** Rows that count as present (soft-deleted ones do not); absent: every row. */
  readonly live?: SQL;
  readonly columns: readonly StoredColumn[];
}

/** A service table `only migrate` loads into. */
export interface TargetWriter<R = unknown> {
  /** `<service>.<entity>` as mapping files name it. */
  readonly target: string;
  /** How the rows are stored (what reconciliation reads back and compares). */
  readonly stored: StoredShape;
  validate(value: Record<string, MappedValue>): Validated<R>;
  /** The Only id of a row: the mapped one when the legacy key is known, else a new one. */
  idFor(row: R, known: string | undefined): string;
  /**
   * Inserts or updates the rows (all of one tenant) inside the caller's transaction; returns how
   * many were written (rows identical to the stored ones are left alone).
   */
  upsert(db: Database, tenantId: string, rows: readonly WriteRow<R>[]): Promise<number>;
}

function invalid(issues: readonly z.core.$ZodIssue[]): { ok: false; errors: QuarantineError[] } {
  return {
    ok: false,
    errors: zodIssuesToViolations(issues, 'body').map((v) => ({
      field: v.field,
      rule: v.rule,
      message: v.message,
    })),
  };
}

function rejected(field: string, rule: string, message: string): { ok: false; errors: QuarantineError[] } {
  return { ok: false, errors: [{ field, rule, message }] };
}

const text = (value: MappedValue | undefined): string | undefined =>
  value === null || value === undefined ? undefined : String(value);
const timeOrNull = (value: MappedValue | undefined): Date | null => {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};
/** `(a, b), (c, d)` for a multi-row VALUES list. */
function values<R>(rows: readonly WriteRow<R>[], tuple: (row: WriteRow<R>) => SQL[]): SQL {
  return sql.join(
    rows.map((row) => sql`(${sql.join(tuple(row), sql`, `)})`),
    sql`, `,
  );
}

/** A column of a service table, filled from a field of the writer's validated row. */
interface TableColumn<R> {
  readonly field: keyof R & string;
  readonly column: string;
  readonly type: StoredType;
  /** Set on insert only: an update keeps what is stored. */
  readonly insertOnly?: boolean;
  /** Computed from other fields: updated with them, but not a change of its own. */
  readonly derived?: boolean;
}

/**
 * A service table keyed by `id`, described once: the upsert and the stored shape reconciliation
 * reads back are both made from it. Time columns get now() for a null field.
 */
interface ServiceTable<R> {
  /** `schema.table` (a constant, never input). */
  readonly table: string;
  readonly columns: readonly TableColumn<R>[];
  /** Whether an update bumps the row's `version`. */
  readonly versioned: boolean;
  /** Condition (over alias `t`) of the rows that count as present. */
  readonly live?: string;
}

function storedShapeOf<R>(table: ServiceTable<R>): StoredShape {
  return {
    tables: [table.table],
    from: sql.raw(`${table.table} t`),
    tenantId: sql.raw('t.tenant_id'),
    id: sql.raw('t.id'),
    matchesIdMap: sql.raw('t.id = m.only_id'),
    ...(table.live === undefined ? {} : { live: sql.raw(table.live) }),
    columns: table.columns.map((c) => ({
      field: c.field,
      sql: sql.raw(`t.${c.column}`),
      type: c.type,
      ...(c.type === 'timestamptz' ? { nowWhenNull: true } : {}),
    })),
  };
}

function columnValue<R>(column: TableColumn<R>, row: R): SQL {
  const value: unknown = row[column.field];
  if (column.type === 'timestamptz') {
    return value instanceof Date ? sql`${value.toISOString()}::timestamptz` : sql`now()`;
  }
  return sql`${value}`;
}

/**
 * One multi-row `INSERT … ON CONFLICT (id) DO UPDATE` into a service table; only rows that really
 * changed are updated (and get a new version), so a re-run of unchanged data writes nothing.
 */
async function upsertInto<R>(
  db: Database,
  table: ServiceTable<R>,
  tenantId: string,
  rows: readonly WriteRow<R>[],
): Promise<number> {
  const updated = table.columns.filter((c) => c.insertOnly !== true);
  const compared = updated.filter((c) => c.derived !== true);
  const names = (columns: readonly TableColumn<R>[], prefix = '') =>
    sql.raw(columns.map((c) => `${prefix}${c.column}`).join(', '));
  const set = updated.map((c) => `${c.column} = excluded.${c.column}`);
  if (table.versioned) set.push('version = t.version + 1');
  const written = await queryRows(
    db,
    sql`insert into ${sql.raw(table.table)} as t (id, tenant_id, ${names(table.columns)})
      values ${values(rows, ({ id, row }) => [sql`${id}`, sql`${tenantId}`, ...table.columns.map((c) => columnValue(c, row))])}
      on conflict (id) do update set ${sql.raw(set.join(', '))}
      where (${names(compared, 't.')}) is distinct from (${names(compared, 'excluded.')})
      returning 1`,
  );
  return written.length;
}

interface CustomerWrite {
  email: string;
  name: string;
  phone: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

const customersTable: ServiceTable<CustomerWrite> = {
  table: 'orders.customers',
  columns: [
    { field: 'email', column: 'email', type: 'text' },
    { field: 'name', column: 'name', type: 'text' },
    { field: 'phone', column: 'phone', type: 'text' },
    { field: 'createdAt', column: 'created_at', type: 'timestamptz', insertOnly: true },
    { field: 'updatedAt', column: 'updated_at', type: 'timestamptz' },
  ],
  versioned: true,
  // A customer deleted in Only is no longer there, whatever the legacy system says.
  live: 't.deleted_at is null',
};

const customersWriter: TargetWriter<CustomerWrite> = {
  target: 'orders.customers',
  validate(value) {
    const parsed = createCustomerBody.safeParse({
      email: text(value.email),
      name: text(value.name),
      phone: value.phone ?? null,
    });
    if (!parsed.success) return invalid(parsed.error.issues);
    return {
      ok: true,
      row: {
        email: parsed.data.email,
        name: parsed.data.name,
        phone: parsed.data.phone ?? null,
        createdAt: timeOrNull(value.createdAt),
        updatedAt: timeOrNull(value.updatedAt),
      },
    };
  },
  idFor: (_row, known) => known ?? newId('cus'),
  stored: storedShapeOf(customersTable),
  upsert: (db, tenantId, rows) => upsertInto(db, customersTable, tenantId, rows),
};

interface OrderWrite {
  number: string;
  customerId: string;
  status: z.output<typeof orderStatusSchema>;
  currency: string;
  subtotal: number;
  taxTotal: number;
  grandTotal: number;
  notes: string | null;
  placedAt: Date | null;
  updatedAt: Date | null;
}

// The order header of the create contract; lines are their own entity in a migration.
const { customerId, currency, notes } = createOrderBody.shape;
const orderHeader = z.object({ customerId, currency, notes }).strict();
const minor = z.number().int().min(0);
// Built once: constructing a Zod schema costs more than parsing with it, and this runs per row.
const orderAmounts = z.object({ subtotal: minor, taxTotal: minor, grandTotal: minor });

const ordersTable: ServiceTable<OrderWrite> = {
  table: 'orders.orders',
  columns: [
    { field: 'number', column: 'number', type: 'text' },
    { field: 'customerId', column: 'customer_id', type: 'text' },
    { field: 'status', column: 'status', type: 'text' },
    { field: 'currency', column: 'currency', type: 'text' },
    { field: 'subtotal', column: 'subtotal', type: 'integer' },
    { field: 'taxTotal', column: 'tax_total', type: 'integer' },
    { field: 'grandTotal', column: 'grand_total', type: 'integer' },
    { field: 'notes', column: 'notes', type: 'text' },
    { field: 'placedAt', column: 'placed_at', type: 'timestamptz' },
    { field: 'updatedAt', column: 'updated_at', type: 'timestamptz' },
  ],
  versioned: true,
};

const ordersWriter: TargetWriter<OrderWrite> = {
  target: 'orders.orders',
  validate(value) {
    const parsed = orderHeader.safeParse({
      customerId: value.customerId,
      currency: value.currency,
      notes: value.notes ?? null,
    });
    if (!parsed.success) return invalid(parsed.error.issues);
    const status = orderStatusSchema.safeParse(value.status);
    if (!status.success) return invalid(status.error.issues.map((i) => ({ ...i, path: ['status'] })));
    const amounts = orderAmounts.safeParse({
      subtotal: value.subtotal,
      taxTotal: value.taxTotal,
      grandTotal: value.grandTotal,
    });
    if (!amounts.success) return invalid(amounts.error.issues);
    const { subtotal, taxTotal, grandTotal } = amounts.data;
    // The legacy totals are kept (what reconciliation compares), but they must add up as Only's do.
    if (grandTotal !== subtotal + taxTotal) {
      return rejected('grandTotal', 'totals_add_up', 'The gross amount is not net plus tax');
    }
    const number = text(value.number);
    if (number === undefined || number === '') return rejected('number', 'required', 'Required');
    return {
      ok: true,
      row: {
        number,
        customerId: parsed.data.customerId,
        status: status.data,
        currency: parsed.data.currency,
        subtotal,
        taxTotal,
        grandTotal,
        notes: parsed.data.notes ?? null,
        placedAt: timeOrNull(value.placedAt),
        updatedAt: timeOrNull(value.updatedAt),
      },
    };
  },
  idFor: (_row, known) => known ?? newId('ord'),
  stored: storedShapeOf(ordersTable),
  async upsert(db, tenantId, rows) {
    const written = await upsertInto(db, ordersTable, tenantId, rows);
    // Orders created in Only later must not take a legacy number: move the sequence past them.
    await queryRows(
      db,
      sql`select setval('orders.order_number_seq', greatest(
          (select last_value from orders.order_number_seq),
          (select coalesce(max(number::bigint), 0) from orders.orders
            where tenant_id = ${tenantId} and number ~ '^[0-9]{1,18}$')))`,
    );
    return written;
  },
};

interface OrderLineWrite {
  orderId: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  taxRateBps: number;
  subtotal: number;
  tax: number;
  total: number;
}

const lineInput = createOrderBody.shape.lines.element;
const linePosition = z.number().int().min(1);

const orderLinesTable: ServiceTable<OrderLineWrite> = {
  table: 'orders.order_lines',
  columns: [
    { field: 'orderId', column: 'order_id', type: 'text' },
    { field: 'position', column: 'position', type: 'integer' },
    { field: 'sku', column: 'sku', type: 'text' },
    { field: 'name', column: 'name', type: 'text' },
    { field: 'quantity', column: 'quantity', type: 'integer' },
    { field: 'unitPrice', column: 'unit_price', type: 'integer' },
    { field: 'taxRateBps', column: 'tax_rate_bps', type: 'integer' },
    { field: 'subtotal', column: 'subtotal', type: 'integer', derived: true },
    { field: 'tax', column: 'tax', type: 'integer', derived: true },
    { field: 'total', column: 'total', type: 'integer', derived: true },
  ],
  versioned: false,
};

const orderLinesWriter: TargetWriter<OrderLineWrite> = {
  target: 'orders.orderLines',
  validate(value) {
    const parsed = lineInput.safeParse({
      sku: value.sku,
      name: value.name,
      quantity: value.quantity,
      unitPrice: value.unitPrice,
      taxRateBps: value.taxRateBps,
    });
    if (!parsed.success) return invalid(parsed.error.issues);
    const position = linePosition.safeParse(value.position);
    if (!position.success) return invalid(position.error.issues.map((i) => ({ ...i, path: ['position'] })));
    const orderId = text(value.orderId);
    if (orderId === undefined) return rejected('orderId', 'required', 'Required');
    // Through `.shape` the inferred element type can lose required-ness (it differs by tsconfig);
    // a parsed line has every field, so the conversions below only restate the types.
    const d = parsed.data;
    /* eslint-disable @typescript-eslint/no-unnecessary-type-conversion -- see above: tsc and the linter's project disagree */
    const line = {
      sku: d.sku,
      name: String(d.name),
      quantity: d.quantity,
      unitPrice: Number(d.unitPrice),
      taxRateBps: Number(d.taxRateBps),
    };
    /* eslint-enable @typescript-eslint/no-unnecessary-type-conversion */
    let amounts;
    try {
      // The same rule as orders placed through the API: tax per line, rounded half away from zero.
      amounts = computeTotals([line]).lines[0];
    } catch {
      return rejected('unitPrice', 'amount_too_large', 'The line total exceeds the largest exact amount');
    }
    if (amounts === undefined) throw new Error('computeTotals returned no line');
    return {
      ok: true,
      row: { ...line, orderId, position: position.data, ...amounts },
    };
  },
  idFor: (_row, known) => known ?? newId('oln'),
  stored: storedShapeOf(orderLinesTable),
  upsert: (db, tenantId, rows) => upsertInto(db, orderLinesTable, tenantId, rows),
};

interface ProductWrite {
  sku: string;
  name: string;
  description: string | null;
  priceAmount: number;
  currency: string;
  taxClass: string;
  status: 'draft' | 'active' | 'archived';
  updatedAt: Date | null;
}

const productsTable: ServiceTable<ProductWrite> = {
  table: 'catalog.products',
  columns: [
    { field: 'sku', column: 'sku', type: 'text' },
    { field: 'name', column: 'name', type: 'text' },
    { field: 'description', column: 'description', type: 'text' },
    { field: 'priceAmount', column: 'price_amount', type: 'integer' },
    { field: 'currency', column: 'currency', type: 'text' },
    { field: 'taxClass', column: 'tax_class', type: 'text' },
    { field: 'status', column: 'status', type: 'text' },
    { field: 'updatedAt', column: 'updated_at', type: 'timestamptz' },
  ],
  versioned: true,
};

const productsWriter: TargetWriter<ProductWrite> = {
  target: 'catalog.products',
  validate(value) {
    const parsed = createProductBody.safeParse({
      sku: value.sku,
      name: value.name,
      description: value.description ?? null,
      price: { amount: value.priceAmount, currency: value.currency },
      ...(value.taxClass === undefined ? {} : { taxClass: value.taxClass }),
      ...(value.status === undefined ? {} : { status: value.status }),
    });
    if (!parsed.success) return invalid(parsed.error.issues);
    const p = parsed.data;
    return {
      ok: true,
      row: {
        sku: p.sku,
        name: p.name,
        description: p.description ?? null,
        priceAmount: p.price.amount,
        currency: p.price.currency,
        taxClass: p.taxClass,
        status: p.status,
        updatedAt: timeOrNull(value.updatedAt),
      },
    };
  },
  idFor: (_row, known) => known ?? newId('prd'),
  stored: storedShapeOf(productsTable),
  upsert: (db, tenantId, rows) => upsertInto(db, productsTable, tenantId, rows),
};

interface StockWrite {
  productId: string;
  locationCode: string;
  onHand: number;
  reorderPoint: number | null;
}

const stockRow = z
  .object({
    productId: z.string().min(1),
    locationCode: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits and . _ - only'),
    onHand: z.number().int().min(0),
    reorderPoint: z.number().int().min(0).nullable(),
  })
  .strict();

const stockWriter: TargetWriter<StockWrite> = {
  target: 'catalog.stockLevels',
  validate(value) {
    const parsed = stockRow.safeParse({
      productId: value.productId,
      locationCode: value.locationCode,
      onHand: value.onHand,
      reorderPoint: value.reorderPoint ?? null,
    });
    return parsed.success ? { ok: true, row: parsed.data } : invalid(parsed.error.issues);
  },
  // A stock level is keyed by product and location; the map keeps that pair.
  idFor: (row) => `${row.productId}@${row.locationCode}`,
  stored: {
    tables: ['catalog.stock_levels', 'catalog.locations'],
    from: sql.raw(
      'catalog.stock_levels t join catalog.locations l on l.tenant_id = t.tenant_id and l.id = t.location_id',
    ),
    tenantId: sql.raw('t.tenant_id'),
    id: sql.raw(`t.product_id || '@' || l.code`),
    // Location codes cannot contain '@' (see stockRow), product ids never do.
    matchesIdMap: sql.raw(
      `t.product_id = split_part(m.only_id, '@', 1) and l.code = split_part(m.only_id, '@', 2)`,
    ),
    columns: [
      { field: 'productId', sql: sql.raw('t.product_id'), type: 'text' },
      { field: 'locationCode', sql: sql.raw('l.code'), type: 'text' },
      { field: 'onHand', sql: sql.raw('t.on_hand'), type: 'integer' },
      { field: 'reorderPoint', sql: sql.raw('t.reorder_point'), type: 'integer' },
    ],
  },
  async upsert(db, tenantId, rows) {
    // Locations the legacy system only knew by code are created, named by their code.
    const codes = [...new Set(rows.map((r) => r.row.locationCode))];
    await queryRows(
      db,
      sql`insert into catalog.locations (id, tenant_id, code, name)
        values ${sql.join(
          codes.map((code) => sql`(${newId('loc')}, ${tenantId}, ${code}, ${code})`),
          sql`, `,
        )}
        on conflict (tenant_id, code) do nothing`,
    );
    // Reserved stock belongs to Only; migration sets what is on hand.
    const written = await queryRows(
      db,
      sql`insert into catalog.stock_levels as s (tenant_id, product_id, location_id, on_hand, reorder_point)
        select ${tenantId}, v.product_id, l.id, v.on_hand, v.reorder_point
        from (values ${values(rows, ({ row }) => [sql`${row.productId}`, sql`${row.locationCode}`, sql`${row.onHand}::integer`, sql`${row.reorderPoint}::integer`])})
          as v (product_id, code, on_hand, reorder_point)
        join catalog.locations l on l.tenant_id = ${tenantId} and l.code = v.code
        on conflict (tenant_id, product_id, location_id) do update set on_hand = excluded.on_hand,
          reorder_point = excluded.reorder_point, updated_at = now()
        where (s.on_hand, s.reorder_point) is distinct from (excluded.on_hand, excluded.reorder_point)
        returning 1`,
    );
    return written.length;
  },
};

/** Every target `only migrate` can load today, by mapping target name. */
export const TARGET_WRITERS: ReadonlyMap<string, TargetWriter> = new Map<string, TargetWriter>(
  [customersWriter, ordersWriter, orderLinesWriter, productsWriter, stockWriter].map(
    (writer) => [writer.target, writer as unknown as TargetWriter] as const,
  ),
);
