import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordLogin } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, waitForOutput, type CliProcess } from './cli-process.ts';

async function startPlatform(dataDir: string): Promise<{ cli: CliProcess; url: string }> {
  const cli = runCli(['start', '--data-dir', dataDir, '--port', '0']);
  const [, url] = await waitForOutput(cli, /API docs +(http:\/\/[\d.]+:\d+)\/docs/);
  return { cli, url: url! };
}

async function stopPlatform(cli: CliProcess): Promise<number | null> {
  cli.child.kill('SIGINT');
  return cli.exited;
}

describe('only start (embedded mode)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'only-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with zero setup, seeds demo data once, keeps data across restarts and stops cleanly on Ctrl-C', async () => {
    const first = await startPlatform(dataDir);
    expect(first.cli.output()).toContain('Demo data    created');
    const ready = await fetch(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    // The demo owner logs in with the password the README lists.
    const headers = { authorization: `Bearer ${await passwordLogin(first.url)}` };
    const seeded = (await (await fetch(`${first.url}/api/orders/orders?limit=100`, { headers })).json()) as {
      items: unknown[];
    };
    expect(seeded.items.length).toBeGreaterThan(0);

    const created = await fetch(`${first.url}/api/orders/customers`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kept@restart.test', name: 'Kept Across Restarts' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    expect(await stopPlatform(first.cli)).toBe(0);
    expect(first.cli.output()).not.toMatch(/"level":"(error|fatal)"/);
    expect(await readdir(dataDir)).not.toContain('only.lock');

    const second = await startPlatform(dataDir);
    expect(second.cli.output()).not.toContain('Demo data');
    // Signing keys survive the restart: the token from before is still good.
    const kept = await fetch(`${second.url}/api/orders/customers/${id}`, { headers });
    expect(kept.status).toBe(200);
    const again = (await (await fetch(`${second.url}/api/orders/orders?limit=100`, { headers })).json()) as {
      items: unknown[];
    };
    expect(again.items.length).toBe(seeded.items.length);

    // A second process on the same data directory is refused instead of corrupting it.
    const intruder = runCli(['start', '--data-dir', dataDir, '--port', '0']);
    expect(await intruder.exited).not.toBe(0);
    expect(intruder.output()).toContain('in use by another Only process');

    expect(await stopPlatform(second.cli)).toBe(0);
  }, 120_000);

  it('reports every configuration problem at once and exits 2', async () => {
    const cli = runCli(['start', '--data-dir', 'memory'], { GATEWAY_PORT: 'not-a-port', LOG_LEVEL: 'loud' });
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('GATEWAY_PORT');
    expect(cli.output()).toContain('LOG_LEVEL');
  });
});

describe('only db migrate', () => {
  it('applies every service migration to an embedded data directory, idempotently', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'only-migrate-'));
    try {
      for (let run = 0; run < 2; run++) {
        const cli = runCli(['db', 'migrate', '--data-dir', dataDir], { LOG_LEVEL: 'info', DATABASE_URL: '' });
        expect(await cli.exited).toBe(0);
        expect(cli.output()).toContain('"service":"orders"');
        expect(cli.output()).toContain('migrations applied');
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
