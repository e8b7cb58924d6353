import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, queryRows } from '@only/platform/db';
import { passwordLogin, silentLogger } from '@only/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbedded } from '../src/embedded.ts';

const orderBody = (customerId: string) =>
  JSON.stringify({
    customerId,
    currency: 'EUR',
    lines: [{ sku: 'DRAIN-1', name: 'Drain test', quantity: 1, unitPrice: 500 }],
  });

/** POSTs JSON on a connection of its own (no keep-alive reuse), resolving with the status. */
function postOnOwnConnection(url: string, body: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization } },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('graceful shutdown of the embedded platform', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'only-drain-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the requests in flight and publishes their events before stopping', async () => {
    const platform = await startEmbedded({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      seedDemoData: true,
      logger: silentLogger(),
    });
    const api = `${platform.url}/api/orders`;
    const authorization = `Bearer ${await passwordLogin(platform.url)}`;
    const customer = (await (
      await fetch(`${api}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ email: 'drain@example.com', name: 'Drain' }),
      })
    ).json()) as { id: string };

    // Twenty orders sent at once queue up behind one another on PGlite; once the server has
    // received them all, stop while most are still being served.
    let received = 0;
    platform.app.server.on('request', () => {
      received++;
    });
    const inFlight = Array.from({ length: 20 }, () =>
      postOnOwnConnection(`${api}/orders`, orderBody(customer.id), authorization),
    );
    await vi.waitFor(
      () => {
        expect(received).toBe(20);
      },
      { timeout: 10_000, interval: 1 },
    );
    await platform.stop('test');

    const statuses = await Promise.all(inFlight);
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 201));

    // Every committed change has its event published: nothing is left for the next start.
    const reopened = await openDatabase({ url: `pglite:${join(dataDir, 'pglite')}` });
    try {
      const rows = await queryRows<{ placed: number; unpublished: number }>(
        reopened.db,
        sql`select count(*) filter (where envelope->'data'->'order'->>'customerId' = ${customer.id})::int as placed,
                   count(*) filter (where published_at is null)::int as unpublished
            from orders.outbox`,
      );
      expect(rows).toEqual([{ placed: 20, unpublished: 0 }]);
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
