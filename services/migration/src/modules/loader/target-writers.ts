// The owning services' tables as bulk-load targets: each validates a mapped row with the service's
// own create contract and upserts a batch with one multi-row INSERT … ON CONFLICT DO UPDATE.
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

/** A service table `only migrate` loads into. */
export interface TargetWriter<R = unknown> {
  /** `<service>.<entity>` as mapping files name it. */
  readonly target: string;
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
const ts = (date: Date | null): SQL => (date === null ? sql`now()` : sql`${date.toISOString()}::timestamptz`);

/** `(a, b), (c, d)` for a multi-row VALUES list. */
function values<R>(rows: readonly WriteRow<R>[], tuple: (row: WriteRow<R>) => SQL[]): SQL {
  return sql.join(
    rows.map((row) => sql`(${sql.join(tuple(row), sql`, `)})`),
    sql`, `,
  );
}

interface CustomerWrite {
  email: string;
  name: string;
  phone: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

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
  async upsert(db, tenantId, rows) {
    // Only rows that really changed get a new version: a re-run of unchanged data writes nothing.
    const written = await queryRows(
      db,
      sql`insert into orders.customers as c (id, tenant_id, email, name, phone, created_at, updated_at)
        values ${values(rows, ({ id, row }) => [sql`${id}`, sql`${tenantId}`, sql`${row.email}`, sql`${row.name}`, sql`${row.phone}`, ts(row.createdAt), ts(row.updatedAt)])}
        on conflict (id) do update set email = excluded.email, name = excluded.name, phone = excluded.phone,
          updated_at = excluded.updated_at, version = c.version + 1
        where (c.email, c.name, c.phone, c.updated_at) is distinct from
          (excluded.email, excluded.name, excluded.phone, excluded.updated_at)
        returning 1`,
    );
    return written.length;
  },
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
    const amounts = z
      .object({ subtotal: minor, taxTotal: minor, grandTotal: minor })
      .safeParse({ subtotal: value.subtotal, taxTotal: value.taxTotal, grandTotal: value.grandTotal });
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
  async upsert(db, tenantId, rows) {
    const written = await queryRows(
      db,
      sql`insert into orders.orders as o (id, tenant_id, number, customer_id, status, currency, subtotal,
          tax_total, grand_total, notes, placed_at, updated_at)
        values ${values(rows, ({ id, row }) => [sql`${id}`, sql`${tenantId}`, sql`${row.number}`, sql`${row.customerId}`, sql`${row.status}`, sql`${row.currency}`, sql`${row.subtotal}`, sql`${row.taxTotal}`, sql`${row.grandTotal}`, sql`${row.notes}`, ts(row.placedAt), ts(row.updatedAt)])}
        on conflict (id) do update set number = excluded.number, customer_id = excluded.customer_id,
          status = excluded.status, currency = excluded.currency, subtotal = excluded.subtotal,
          tax_total = excluded.tax_total, grand_total = excluded.grand_total, notes = excluded.notes,
          placed_at = excluded.placed_at, updated_at = excluded.updated_at, version = o.version + 1
        where (o.number, o.customer_id, o.status, o.currency, o.subtotal, o.tax_total, o.grand_total,
            o.notes, o.placed_at, o.updated_at) is distinct from
          (excluded.number, excluded.customer_id, excluded.status, excluded.currency, excluded.subtotal,
            excluded.tax_total, excluded.grand_total, excluded.notes, excluded.placed_at, excluded.updated_at)
        returning 1`,
    );
    // Orders created in Only later must not take a legacy number: move the sequence past them.
    await queryRows(
      db,
      sql`select setval('orders.order_number_seq', greatest(
          (select last_value from orders.order_number_seq),
          (select coalesce(max(number::bigint), 0) from orders.orders
            where tenant_id = ${tenantId} and number ~ '^[0-9]{1,18}$')))`,
    );
    return written.length;
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
    const position = z.number().int().min(1).safeParse(value.position);
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
  async upsert(db, tenantId, rows) {
    const written = await queryRows(
      db,
      sql`insert into orders.order_lines as l (id, tenant_id, order_id, position, sku, name, quantity,
          unit_price, tax_rate_bps, subtotal, tax, total)
        values ${values(rows, ({ id, row }) => [sql`${id}`, sql`${tenantId}`, sql`${row.orderId}`, sql`${row.position}`, sql`${row.sku}`, sql`${row.name}`, sql`${row.quantity}`, sql`${row.unitPrice}`, sql`${row.taxRateBps}`, sql`${row.subtotal}`, sql`${row.tax}`, sql`${row.total}`])}
        on conflict (id) do update set order_id = excluded.order_id, position = excluded.position,
          sku = excluded.sku, name = excluded.name, quantity = excluded.quantity,
          unit_price = excluded.unit_price, tax_rate_bps = excluded.tax_rate_bps,
          subtotal = excluded.subtotal, tax = excluded.tax, total = excluded.total
        where (l.order_id, l.position, l.sku, l.name, l.quantity, l.unit_price, l.tax_rate_bps) is distinct from
          (excluded.order_id, excluded.position, excluded.sku, excluded.name, excluded.quantity,
            excluded.unit_price, excluded.tax_rate_bps)
        returning 1`,
    );
    return written.length;
  },
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
  async upsert(db, tenantId, rows) {
    const written = await queryRows(
      db,
      sql`insert into catalog.products as p (id, tenant_id, sku, name, description, price_amount, currency,
          tax_class, status, updated_at)
        values ${values(rows, ({ id, row }) => [sql`${id}`, sql`${tenantId}`, sql`${row.sku}`, sql`${row.name}`, sql`${row.description}`, sql`${row.priceAmount}`, sql`${row.currency}`, sql`${row.taxClass}`, sql`${row.status}`, ts(row.updatedAt)])}
        on conflict (id) do update set sku = excluded.sku, name = excluded.name,
          description = excluded.description, price_amount = excluded.price_amount,
          currency = excluded.currency, tax_class = excluded.tax_class, status = excluded.status,
          updated_at = excluded.updated_at, version = p.version + 1
        where (p.sku, p.name, p.description, p.price_amount, p.currency, p.tax_class, p.status, p.updated_at)
          is distinct from (excluded.sku, excluded.name, excluded.description, excluded.price_amount,
            excluded.currency, excluded.tax_class, excluded.status, excluded.updated_at)
        returning 1`,
    );
    return written.length;
  },
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
