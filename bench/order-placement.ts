// Order placement end to end — reserve stock, authorize the payment, place the order — through the
// gateway, in embedded mode (`npm start`: one process, PGlite) and in distributed mode (every
// service its own process on PostgreSQL and RabbitMQ, internal calls over gRPC), against the
// ceilings of the distributed benchmark taken in the same run. Then orders at a steady rate, each
// timed from its placement to its invoice. Load goes to 127.0.0.1 only, for a bounded time.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { passwordLogin } from '@only/testing';
import { barePgOrderRate, percentile, waitUntil } from './ceilings.ts';
import { machine, measure, postJson, startNode, type Measurement } from './harness.ts';

process.env.DATABASE_URL ??= 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
process.env.RABBITMQ_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
const { startTestCluster } = await import('../e2e/support/test-cluster.ts');

const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const INVOICE_RATE = Number(process.env.BENCH_INVOICE_RATE ?? 200);
const MODES = (process.env.BENCH_MODES ?? 'embedded,distributed').split(',');
const PORT = Number(process.env.BENCH_PORT ?? 18_500);
const PRODUCTS = 20;
const root = fileURLToPath(new URL('..', import.meta.url));
const unlimited = { GATEWAY_RATE_LIMIT_PER_IP: '100000000', GATEWAY_RATE_LIMIT_PER_TENANT: '100000000' };

/** Time from an order's placement (its 201 at the client) to its invoice's issue, per mode. */
interface InvoiceLag {
  readonly orders: number;
  readonly invoiced: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

interface ModeResult {
  readonly mode: string;
  readonly placement: Measurement;
  readonly steady: Measurement;
  readonly invoiceLag: InvoiceLag;
}

/** Products with more stock than any run sells, and a customer, through the gateway. */
async function openShop(api: string, auth: Record<string, string>) {
  const skus: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const sku = `BENCH-${randomUUID().slice(0, 8).toUpperCase()}`;
    const product = await postJson<{ id: string }>(
      `${api}/catalog/products`,
      JSON.stringify({ sku, name: `Bench ${sku}`, price: { amount: 1290, currency: 'EUR' } }),
      auth,
    );
    await postJson(
      `${api}/catalog/stock/adjustments`,
      JSON.stringify({ productId: product.id, reason: 'received', delta: 10_000_000 }),
      auth,
    );
    skus.push(sku);
  }
  const customer = await postJson<{ id: string }>(
    `${api}/orders/customers`,
    JSON.stringify({ email: `bench-${randomUUID()}@example.com`, name: 'Bench' }),
    auth,
  );
  // Two lines of different products, paid with the approve card: reserve, authorize, place.
  const body = () => {
    const first = Math.floor(Math.random() * PRODUCTS);
    const second = (first + 1 + Math.floor(Math.random() * (PRODUCTS - 1))) % PRODUCTS;
    return JSON.stringify({
      customerId: customer.id,
      currency: 'EUR',
      lines: [
        { sku: skus[first], quantity: 1 },
        { sku: skus[second], quantity: 2 },
      ],
      payment: { token: 'tok_test_approve' },
    });
  };
  return { body };
}

/** Every invoice's order and issue time, paging through the invoices API. */
async function invoiceTimes(api: string, auth: Record<string, string>): Promise<Map<string, number>> {
  const issued = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const response = await fetch(`${api}/invoices/invoices?limit=100${query}`, { headers: auth });
    const page = (await response.json()) as {
      items: { orderId: string; issuedAt: string }[];
      nextCursor: string | null;
    };
    for (const item of page.items) issued.set(item.orderId, Date.parse(item.issuedAt));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return issued;
}

/** Waits until no more invoices appear: the work queued by earlier load is done. */
async function invoicesSettled(api: string, auth: Record<string, string>): Promise<void> {
  let last = -1;
  await waitUntil(async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const count = (await invoiceTimes(api, auth)).size;
    const settled = count === last;
    last = count;
    return settled;
  }, 300_000);
}

/** Measures one running platform at `base` (its gateway URL). */
async function measureMode(mode: string, base: string): Promise<ModeResult> {
  const auth = { authorization: `Bearer ${await passwordLogin(base)}` };
  const api = `${base}/api`;
  const shop = await openShop(api, auth);
  const post = {
    url: `${api}/orders/orders`,
    method: 'POST' as const,
    headers: auth,
    perRequestHeaders: () => ({ 'idempotency-key': randomUUID() }),
    perRequestBody: shop.body,
    connections: CONNECTIONS,
  };
  // Warm up (JIT, pools, queues) and let earlier work (demo data's events) drain.
  await measure({ ...post, name: 'warm-up', durationSeconds: 3, overallRate: 50 });
  await invoicesSettled(api, auth);
  const placement = await measure({
    ...post,
    name: `${mode}: POST paid order (reserve + authorize + place)`,
    durationSeconds: DURATION,
  });

  // At a steady rate, each order is timed from its 201 to its invoice's issue time — once the
  // invoices of the flat-out run above are all issued.
  await invoicesSettled(api, auth);
  const placedAt = new Map<string, number>();
  const steady = await measure({
    ...post,
    name: `${mode}: POST paid order at ${String(INVOICE_RATE)}/s`,
    durationSeconds: DURATION,
    overallRate: INVOICE_RATE,
    onResponse: (status, body) => {
      if (status === 201) placedAt.set((JSON.parse(body) as { id: string }).id, Date.now());
    },
  });
  let issued = new Map<string, number>();
  await waitUntil(async () => {
    issued = await invoiceTimes(api, auth);
    return [...placedAt.keys()].every((id) => issued.has(id));
  }, 120_000);
  const lags = [...placedAt]
    .flatMap(([id, at]) => {
      const invoicedAt = issued.get(id);
      return invoicedAt === undefined ? [] : [invoicedAt - at];
    })
    .sort((a, b) => a - b);
  return {
    mode,
    placement,
    steady,
    invoiceLag: {
      orders: placedAt.size,
      invoiced: lags.length,
      p50Ms: percentile(lags, 50),
      p99Ms: percentile(lags, 99),
    },
  };
}

async function embedded(): Promise<ModeResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'only-bench-'));
  const platform = startNode(
    [join(root, 'apps/cli/bin/only.js'), 'start', '--data-dir', dataDir, '--port', String(PORT)],
    { ...unlimited, LOG_LEVEL: 'warn' },
  );
  try {
    await platform.waitFor(/Press Ctrl-C to stop/, 180_000);
    return await measureMode('embedded', `http://127.0.0.1:${String(PORT)}`);
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function distributed(): Promise<{ result: ModeResult; barePg: Measurement }> {
  const cluster = await startTestCluster({ logLevel: 'warn', discardOutput: true, env: unlimited });
  try {
    const result = await measureMode('distributed', cluster.url);
    const auth = { authorization: `Bearer ${await passwordLogin(cluster.url)}` };
    const customer = await postJson<{ id: string }>(
      `${cluster.url}/api/orders/customers`,
      JSON.stringify({ email: 'bench-pg@example.com', name: 'Bench' }),
      auth,
    );
    const barePg = await barePgOrderRate({
      databaseUrl: cluster.databaseUrl,
      customerId: customer.id,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
    });
    return { result, barePg };
  } finally {
    await cluster.stop();
  }
}

const hello = startNode([join(root, 'bench/hello-world.ts')], { PORT: String(PORT + 1) });
try {
  await hello.waitFor(/http:\/\//);
  const helloWorld = await measure({
    name: 'Fastify hello-world (ceiling)',
    url: `http://127.0.0.1:${String(PORT + 1)}/`,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
  });
  const results: ModeResult[] = [];
  let barePg: Measurement | undefined;
  if (MODES.includes('embedded')) results.push(await embedded());
  if (MODES.includes('distributed')) {
    const run = await distributed();
    results.push(run.result);
    barePg = run.barePg;
  }

  const date = new Date().toISOString();
  const record = {
    date,
    machine: await machine(),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    ceilings: { helloWorld, barePg },
    results,
  };
  await writeFile(
    join(root, `bench/results/order-placement-${date.slice(0, 19).replaceAll(':', '')}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  const row = (m: Measurement) =>
    `| ${m.name} | ${m.requestsPerSecond.toLocaleString('en')} | ${String(m.p50Ms)} | ${String(m.p99Ms)} | ${barePg === undefined ? '–' : `${((m.requestsPerSecond / barePg.requestsPerSecond) * 100).toFixed(1)} %`} | ${String(m.errors + m.non2xx)} |`;
  const section = [
    '',
    `### ${date.slice(0, 10)} — order placement end to end (reserve + authorize + place), through the gateway`,
    '',
    `${record.machine}; ${String(CONNECTIONS)} connections, ${String(DURATION)} s per scenario; two-line orders over ${String(PRODUCTS)} products paid with the approve card; everything on the same machine.`,
    '',
    '| Scenario | orders/s | p50 ms | p99 ms | of bare pg | errors + non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| ${helloWorld.name} | ${helloWorld.requestsPerSecond.toLocaleString('en')} | ${String(helloWorld.p50Ms)} | ${String(helloWorld.p99Ms)} | – | ${String(helloWorld.errors + helloWorld.non2xx)} |`,
    ...(barePg === undefined ? [] : [row(barePg)]),
    ...results.flatMap((r) => [row(r.placement), row(r.steady)]),
    '',
    ...results.map(
      (r) =>
        `${r.mode}: time from placement (the 201) to the invoice's issue at ${String(INVOICE_RATE)} orders/s — p50 ${String(r.invoiceLag.p50Ms)} ms, p99 ${String(r.invoiceLag.p99Ms)} ms (${String(r.invoiceLag.invoiced)} of ${String(r.invoiceLag.orders)} orders invoiced).`,
    ),
    '',
  ].join('\n');
  await appendFile(join(root, 'bench/README.md'), section);
  process.stdout.write(section);
} finally {
  await hello.stop();
}
