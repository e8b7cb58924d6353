// Ceilings measured in the same run as the platform: what the work costs without the platform.
import { randomUUID } from 'node:crypto';
import { newId, uuidv7 } from '@only/platform/ids';
import pg from 'pg';
import { BENCH_LINES as lines, type Measurement } from './harness.ts';

/** The demo tenant Acme, whose customer the bare transactions write for. */
const TENANT = 'ten_01m80n5wh0fq8bg2x0v9vtay4p';

/** The p-th percentile of sorted values (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The ceiling for writes: what the placement transaction costs written by hand with `pg` — claim
 * the idempotency key, insert order, lines and history, write the outbox row (already marked
 * published, so the relay leaves it), store the response — on a pool the size of one orders
 * process's, with as many concurrent callers as the load generator has connections.
 */
export async function barePgOrderRate(options: {
  databaseUrl: string;
  customerId: string;
  connections: number;
  durationSeconds: number;
}): Promise<Measurement> {
  const { databaseUrl, customerId, connections, durationSeconds } = options;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const latencies: number[] = [];
  const deadline = Date.now() + durationSeconds * 1000;
  let errors = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const client = await pool.connect();
      try {
        const key = randomUUID();
        const orderId = newId('ord');
        await client.query('begin');
        await client.query(
          `insert into orders.idempotency_keys (tenant_id, key, fingerprint, method, path) values ($1, $2, 'f', 'POST', '/orders')`,
          [TENANT, key],
        );
        await client.query(
          `with o as (
             insert into orders.orders (id, tenant_id, number, customer_id, status, currency, subtotal, tax_total, grand_total)
             values ($1, $2, $3, $4, 'pending', 'EUR', 9830, 1418, 11248) returning id),
           l as (
             insert into orders.order_lines (id, tenant_id, order_id, position, sku, name, quantity, unit_price, tax_rate_bps, subtotal, tax, total)
             select x.id, $2, $1, x.position, x.sku, x.name, x.quantity, x.unit_price, x.rate, x.subtotal, x.tax, x.subtotal + x.tax
             from (values ($5, 1, 'BENCH-1', 'one', 2, 1290, 700, 2580, 181),
                          ($6, 2, 'BENCH-2', 'two', 1, 5900, 1900, 5900, 1121),
                          ($7, 3, 'BENCH-3', 'three', 3, 450, 1900, 1350, 257))
               as x(id, position, sku, name, quantity, unit_price, rate, subtotal, tax))
           insert into orders.order_status_history (id, tenant_id, order_id, to_status, actor_type)
           values ($8, $2, $1, 'pending', 'anonymous')`,
          [orderId, TENANT, `B-${key}`, customerId, newId('oln'), newId('oln'), newId('oln'), newId('osh')],
        );
        const eventId = uuidv7();
        await client.query(
          `insert into orders.outbox (id, tenant_id, type, version, aggregate_id, envelope, occurred_at, published_at)
           values ($1, $2, 'orders.order.placed', 1, $3, $4, now(), now())`,
          [
            eventId,
            TENANT,
            orderId,
            JSON.stringify({ id: eventId, data: { order: { id: orderId, lines } } }),
          ],
        );
        await client.query(
          `update orders.idempotency_keys set status_code = 201, response_body = $3 where tenant_id = $1 and key = $2`,
          [TENANT, key, JSON.stringify({ id: orderId, lines })],
        );
        await client.query('commit');
        latencies.push(performance.now() - started);
      } catch (error) {
        errors++;
        await client.query('rollback').catch(() => undefined);
        if (errors === 1) process.stderr.write(`bare pg: ${String(error)}\n`);
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    name: 'Bare pg: the same order transaction (ceiling for POST)',
    requestsPerSecond: Math.round(latencies.length / durationSeconds),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    errors,
    non2xx: 0,
    total: latencies.length,
  };
}

/** Polls `check` until it holds or the time is up; whether it held. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
