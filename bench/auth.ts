// Access-token verification cost: the same trivial route served public and protected, in one run,
// by a platform HTTP server in its own process; plus the verifier alone in this process.
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestIssuer } from '@only/testing';
import { machine, measure, startNode } from './harness.ts';

const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 18_495);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Median time of one `verify()` of a token not seen before (signature, claims), in ms, over
 * `count` calls after a warm-up: the remembered-token cache is off.
 */
async function verifyMedianMs(count: number): Promise<number> {
  const issuer = await TestIssuer.create();
  const verifier = issuer.verifier({ cacheSize: 0 });
  const token = await issuer.token({ tenantId: 'ten_01m80n5wh0fq8bg2x0v9vtay4p' });
  for (let i = 0; i < 500; i++) await verifier.verify(token);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await verifier.verify(token);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const server = startNode([join(root, 'bench/auth-server.ts')], { PORT: String(PORT) });
try {
  const [, token] = await server.waitFor(/token (\S+)\nlistening/);
  const base = `http://127.0.0.1:${String(PORT)}`;
  // One connection: each request waits for the previous, so 1 / rate is the time per request.
  const sequential = { connections: 1, durationSeconds: DURATION };
  const open = await measure({ name: 'public route', url: `${base}/public`, ...sequential });
  const guarded = await measure({
    name: 'protected route, valid token',
    url: `${base}/protected`,
    headers: { authorization: `Bearer ${token ?? ''}` },
    ...sequential,
  });
  const perRequestMs = (m: { requestsPerSecond: number }) => 1000 / m.requestsPerSecond;
  const addedMs = perRequestMs(guarded) - perRequestMs(open);
  const verifyMs = await verifyMedianMs(20_000);

  const date = new Date().toISOString();
  const record = {
    date,
    machine: await machine(),
    durationSeconds: DURATION,
    open,
    guarded,
    addedMs,
    verifyMs,
  };
  await writeFile(
    join(root, `bench/results/auth-${date.slice(0, 19).replaceAll(':', '')}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  const section = [
    '',
    `### ${date.slice(0, 10)} — access-token verification`,
    '',
    `${record.machine}; one connection, ${String(DURATION)} s per route; server in its own process.`,
    '',
    '| Route | req/s | time per request |',
    '| --- | ---: | ---: |',
    `| public (no token) | ${open.requestsPerSecond.toLocaleString('en')} | ${perRequestMs(open).toFixed(3)} ms |`,
    `| protected (EdDSA access token verified) | ${guarded.requestsPerSecond.toLocaleString('en')} | ${perRequestMs(guarded).toFixed(3)} ms |`,
    '',
    `Added by verification: ${addedMs.toFixed(3)} ms per request (target < 0.2 ms), the client sending the same token each time, as clients do until it expires — verified tokens are remembered by their exact text until expiry. A token seen for the first time costs one EdDSA signature check and claim checks: \`verify()\` without the cache, median ${verifyMs.toFixed(3)} ms.`,
    '',
  ].join('\n');
  await appendFile(join(root, 'bench/README.md'), section);
  process.stdout.write(section);
} finally {
  await server.stop();
}
