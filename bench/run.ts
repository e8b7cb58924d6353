// Embedded-mode benchmark: the platform as `npm start` runs it, through the gateway, against a bare
// Fastify hello-world measured in the same run as the ceiling. Load goes to 127.0.0.1 only, for a
// bounded time per scenario. Results: bench/results/*.json and a dated section in bench/README.md.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { passwordLogin } from '@only/testing';
import {
  benchOrderBody as orderBody,
  machine,
  measure,
  peakRssMiB,
  postJson as post,
  resetPeakRss,
  startNode,
  type Measurement,
} from './harness.ts';

const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PLATFORM_PORT = Number(process.env.BENCH_PORT ?? 18_480);
const HELLO_PORT = PLATFORM_PORT + 1;
const root = fileURLToPath(new URL('..', import.meta.url));

const dataDir = await mkdtemp(join(tmpdir(), 'only-bench-'));
const hello = startNode([join(root, 'bench/hello-world.ts')], { PORT: String(HELLO_PORT) });
// Demo data gives the users to sign in as; the benchmark's own load is not to be throttled.
const platform = startNode(
  [join(root, 'apps/cli/bin/only.js'), 'start', '--data-dir', dataDir, '--port', String(PLATFORM_PORT)],
  { GATEWAY_RATE_LIMIT_PER_IP: '100000000', GATEWAY_RATE_LIMIT_PER_TENANT: '100000000' },
);
try {
  await hello.waitFor(/http:\/\//);
  await platform.waitFor(/Press Ctrl-C to stop/);
  const api = `http://127.0.0.1:${PLATFORM_PORT}/api/orders`;
  const pid = platform.process.pid ?? 0;
  // The first start runs initdb, which peaks far above steady state: measure the two apart.
  const startupRss = await peakRssMiB(pid);
  await resetPeakRss(pid);

  const base = `http://127.0.0.1:${String(PLATFORM_PORT)}`;
  const auth = { authorization: `Bearer ${await passwordLogin(base)}` };
  const customer = await post<{ id: string }>(
    `${api}/customers`,
    JSON.stringify({ email: 'bench@example.com', name: 'Bench' }),
    auth,
  );
  let order = { id: '' };
  for (let i = 0; i < 100; i++)
    order = await post<{ id: string }>(`${api}/orders`, orderBody(customer.id), auth);

  const load = { connections: CONNECTIONS, durationSeconds: DURATION };
  const ceiling = await measure({
    name: 'Fastify hello-world (ceiling)',
    url: `http://127.0.0.1:${HELLO_PORT}/`,
    ...load,
  });
  const results: Measurement[] = [
    await measure({ name: 'GET order by id', url: `${api}/orders/${order.id}`, headers: auth, ...load }),
    await measure({
      name: 'GET list orders (20 per page)',
      url: `${api}/orders?limit=20`,
      headers: auth,
      ...load,
    }),
    await measure({
      name: 'POST order, 3 lines, unique Idempotency-Key',
      url: `${api}/orders`,
      method: 'POST',
      body: orderBody(customer.id),
      headers: auth,
      perRequestHeaders: () => ({ 'idempotency-key': randomUUID() }),
      ...load,
    }),
  ];
  // Sign-ins hash with argon2id off the main thread: other requests keep being served meanwhile.
  const idle = await measure({
    name: 'GET /health/live, alone',
    url: `${base}/health/live`,
    connections: 1,
    durationSeconds: DURATION,
  });
  const [logins, duringLogins] = await Promise.all([
    measure({
      name: 'POST /oauth/token, password grant (argon2id, OWASP cost)',
      url: `${base}/api/identity/oauth/token`,
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'only-web',
        tenant: 'acme',
        username: 'cashier@acme.example',
        password: 'only-demo-cashier',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      connections: 8,
      durationSeconds: DURATION,
    }),
    measure({
      name: 'GET /health/live, during sign-ins',
      url: `${base}/health/live`,
      connections: 1,
      durationSeconds: DURATION,
    }),
  ]);
  results.push(idle, logins, duringLogins);
  const rss = await peakRssMiB(pid);
  const date = new Date().toISOString();
  const record = {
    date,
    machine: await machine(),
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    ceiling,
    results,
    peakRssMiB: rss,
    startupPeakRssMiB: startupRss,
  };
  await writeFile(
    join(root, `bench/results/embedded-${date.slice(0, 19).replaceAll(':', '')}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );

  const row = (m: Measurement) =>
    `| ${m.name} | ${m.requestsPerSecond.toLocaleString('en')} | ${m.p50Ms} | ${m.p99Ms} | ${((m.requestsPerSecond / ceiling.requestsPerSecond) * 100).toFixed(1)} % | ${m.errors + m.non2xx} |`;
  const section = [
    '',
    `### ${date.slice(0, 10)} — embedded mode (\`npm start\`), through the gateway`,
    '',
    `${record.machine}; ${CONNECTIONS} connections, ${DURATION} s per scenario; platform and load generator on the same machine.`,
    '',
    '| Scenario | req/s | p50 ms | p99 ms | of ceiling | errors + non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(ceiling),
    ...results.map(row),
    '',
    `Peak RSS of the platform process under load: ${rss} MiB (first start, including PGlite's initdb: ${startupRss} MiB).`,
    '',
  ].join('\n');
  await appendFile(join(root, 'bench/README.md'), section);
  process.stdout.write(section);
} finally {
  await platform.stop();
  await hello.stop();
  await rm(dataDir, { recursive: true, force: true });
}
