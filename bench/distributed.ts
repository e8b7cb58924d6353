// Distributed-mode benchmark: every service its own process on PostgreSQL, RabbitMQ and Redis, as
// `npm run start:cluster` runs them, measured through the gateway against two ceilings taken in the
// same run — a bare Fastify hello-world and the same order transaction written with bare `pg`.
// Load goes to 127.0.0.1 only, for a bounded time per scenario.
import { randomUUID } from 'node:crypto';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventEnvelope } from '@only/contracts/envelope';
import { RabbitBus } from '@only/platform/bus';
import { newId, uuidv7 } from '@only/platform/ids';
import { silentLogger } from '@only/testing';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { barePgOrderRate, percentile, waitUntil } from './ceilings.ts';
import {
  benchOrderBody as orderBody,
  machine,
  measure,
  postJson,
  startNode,
  type Measurement,
} from './harness.ts';

process.env.DATABASE_URL ??= 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
process.env.RABBITMQ_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
const { authorization, startTestCluster } = await import('../e2e/support/test-cluster.ts');

const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 500);
const BURST_EVENTS = Number(process.env.BENCH_BURST_EVENTS ?? 20_000);
const HELLO_PORT = Number(process.env.BENCH_PORT ?? 18_490);
const root = fileURLToPath(new URL('..', import.meta.url));

/** A consumer of its own on the cluster's exchange, recording when each placed order arrives. */
async function startProbe(namespace: string) {
  const arrivals = new Map<string, { lagMs: number; at: number }>();
  const bus = await RabbitBus.connect({
    url: process.env.RABBITMQ_URL ?? '',
    logger: silentLogger(),
    namespace,
    connectionName: 'only-bench-probe',
  });
  await bus.subscribe({
    consumer: 'bench-probe',
    patterns: ['orders.order.placed'],
    broadcast: true,
    concurrency: 256,
    handler: (event: EventEnvelope) => {
      const now = Date.now();
      arrivals.set(event.id, { lagMs: now - Date.parse(event.occurredAt), at: now });
      return Promise.resolve();
    },
  });
  return { arrivals, close: () => bus.close() };
}

const hello = startNode([join(root, 'bench/hello-world.ts')], { PORT: String(HELLO_PORT) });
const testCluster = await startTestCluster({ logLevel: 'info', discardOutput: true });
const probe = await startProbe(testCluster.namespace);
const { databaseUrl } = testCluster;
try {
  await hello.waitFor(/http:\/\//);
  const api = `${testCluster.url}/api/orders`;
  const auth = authorization();
  const customer = await postJson<{ id: string }>(
    `${api}/customers`,
    JSON.stringify({ email: 'bench@example.com', name: 'Bench' }),
    auth,
  );
  let order = { id: '' };
  for (let i = 0; i < 100; i++)
    order = await postJson<{ id: string }>(`${api}/orders`, orderBody(customer.id), auth);

  const load = { connections: CONNECTIONS, durationSeconds: DURATION };
  const helloCeiling = await measure({
    name: 'Fastify hello-world (ceiling for GET)',
    url: `http://127.0.0.1:${String(HELLO_PORT)}/`,
    ...load,
  });
  const pgCeiling = await barePgOrderRate({ databaseUrl, customerId: customer.id, ...load });
  const getById = await measure({
    name: 'GET order by id (cached)',
    url: `${api}/orders/${order.id}`,
    headers: auth,
    ...load,
  });
  const postOrder = await measure({
    name: 'POST order, 3 lines, unique Idempotency-Key',
    url: `${api}/orders`,
    method: 'POST',
    body: orderBody(customer.id),
    headers: auth,
    perRequestHeaders: () => ({ 'idempotency-key': randomUUID() }),
    ...load,
  });
  await waitUntil(async () => {
    const [row] = await testCluster.query<{ pending: number }>(
      sql`select count(*)::int as pending from orders.outbox where published_at is null`,
    );
    return row?.pending === 0;
  }, 120_000);

  // Lag at a steady rate: orders placed at LAG_RATE per second, each event timed from its write
  // into the outbox to its arrival at a consumer.
  probe.arrivals.clear();
  const steady = await measure({
    name: `POST order at ${String(LAG_RATE)}/s (lag run)`,
    url: `${api}/orders`,
    method: 'POST',
    body: orderBody(customer.id),
    headers: auth,
    perRequestHeaders: () => ({ 'idempotency-key': randomUUID() }),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    overallRate: LAG_RATE,
  });
  await waitUntil(() => probe.arrivals.size >= steady.total - steady.errors - steady.non2xx, 30_000);
  const lags = [...probe.arrivals.values()].map((a) => a.lagMs).sort((a, b) => a - b);

  // Throughput: a burst of events written straight into the outbox at once, timed until the bus
  // delivered them all and until reporting has taken every one into effect (its inbox).
  const [template] = await testCluster.query<{
    envelope: EventEnvelope<string, { order: Record<string, unknown> }>;
  }>(sql`select envelope from orders.outbox where type = 'orders.order.placed' limit 1`);
  if (template === undefined) throw new Error('no placed event to copy');
  const [before] = await testCluster.query<{ processed: number }>(
    sql`select count(*)::int as processed from reporting.processed_messages`,
  );
  probe.arrivals.clear();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (let start = 0; start < BURST_EVENTS; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, BURST_EVENTS - start) }, () => {
      const orderId = newId('ord');
      const envelope = {
        ...template.envelope,
        id: uuidv7(),
        occurredAt: new Date().toISOString(),
        aggregateId: orderId,
        data: { order: { ...template.envelope.data.order, id: orderId, number: `B-${orderId}` } },
      };
      return envelope;
    });
    await client.query(
      `insert into orders.outbox (id, tenant_id, type, version, aggregate_id, envelope, occurred_at)
       select (e->>'id')::uuid, e->>'tenantId', e->>'type', 1, e->>'aggregateId', e, (e->>'occurredAt')::timestamptz
       from jsonb_array_elements($1::jsonb) as e`,
      [JSON.stringify(rows)],
    );
  }
  await client.end();
  const burstStart = Date.now();
  await waitUntil(() => probe.arrivals.size >= BURST_EVENTS, 300_000);
  const deliveredAt = Math.max(...[...probe.arrivals.values()].map((a) => a.at));
  await waitUntil(async () => {
    const [row] = await testCluster.query<{ processed: number }>(
      sql`select count(*)::int as processed from reporting.processed_messages`,
    );
    return (row?.processed ?? 0) - (before?.processed ?? 0) >= BURST_EVENTS;
  }, 300_000);
  const effectAt = Date.now();
  const busRate = Math.round(BURST_EVENTS / ((deliveredAt - burstStart) / 1000));
  const effectRate = Math.round(BURST_EVENTS / ((effectAt - burstStart) / 1000));

  const date = new Date().toISOString();
  const record = {
    date,
    machine: await machine(),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    ceilings: { helloWorld: helloCeiling, barePg: pgCeiling },
    results: [getById, postOrder, steady],
    lag: { rate: LAG_RATE, events: lags.length, p50Ms: percentile(lags, 50), p99Ms: percentile(lags, 99) },
    burst: { events: BURST_EVENTS, deliveredPerSecond: busRate, takenIntoEffectPerSecond: effectRate },
  };
  await writeFile(
    join(root, `bench/results/distributed-${date.slice(0, 19).replaceAll(':', '')}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  const row = (m: Measurement, ceiling: Measurement) =>
    `| ${m.name} | ${m.requestsPerSecond.toLocaleString('en')} | ${String(m.p50Ms)} | ${String(m.p99Ms)} | ${((m.requestsPerSecond / ceiling.requestsPerSecond) * 100).toFixed(1)} % of ${ceiling === helloCeiling ? 'hello-world' : 'bare pg'} | ${String(m.errors + m.non2xx)} |`;
  const section = [
    '',
    `### ${date.slice(0, 10)} — distributed mode (\`npm run start:cluster\`), through the gateway`,
    '',
    `${record.machine}; ${String(CONNECTIONS)} connections, ${String(DURATION)} s per scenario; PostgreSQL, RabbitMQ, Redis, every service, the gateway and the load generator on the same machine; log level info.`,
    '',
    '| Scenario | req/s | p50 ms | p99 ms | share | errors + non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(helloCeiling, helloCeiling),
    row(pgCeiling, pgCeiling),
    row(getById, helloCeiling),
    row(postOrder, pgCeiling),
    row(steady, pgCeiling),
    '',
    `Outbox-to-consumer lag at ${String(LAG_RATE)} orders/s (${String(lags.length)} events): p50 ${String(percentile(lags, 50))} ms, p99 ${String(percentile(lags, 99))} ms.`,
    '',
    `A burst of ${BURST_EVENTS.toLocaleString('en')} events written to the outbox at once: delivered by the bus at ${busRate.toLocaleString('en')} events/s; taken into effect by reporting (inbox + projection, one transaction each) at ${effectRate.toLocaleString('en')} events/s.`,
    '',
  ].join('\n');
  await appendFile(join(root, 'bench/README.md'), section);
  process.stdout.write(section);
} finally {
  await probe.close();
  await testCluster.stop();
  await hello.stop();
}
