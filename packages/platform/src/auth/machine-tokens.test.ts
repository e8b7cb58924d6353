import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedMachineTokens, clientCredentialsTokens, serviceClientSecret } from './machine-tokens.ts';

describe('cachedMachineTokens', () => {
  it('keeps a token per tenant until shortly before it expires, minting once for concurrent callers', async () => {
    let now = 0;
    const minted: string[] = [];
    const tokens = cachedMachineTokens({
      mint: (tenantId) => {
        minted.push(tenantId);
        return Promise.resolve({ token: `${tenantId}#${String(minted.length)}`, expiresIn: 300 });
      },
      renewBeforeSeconds: 60,
      now: () => now,
    });
    const first = await Promise.all([tokens.token('ten_a'), tokens.token('ten_a'), tokens.token('ten_b')]);
    expect(first).toEqual(['ten_a#1', 'ten_a#1', 'ten_b#2']);
    now = 239_000; // 4 minutes in: still more than a minute left
    expect(await tokens.token('ten_a')).toBe('ten_a#1');
    now = 240_000; // a minute before expiry: renewed
    expect(await tokens.token('ten_a')).toBe('ten_a#3');
    expect(minted).toEqual(['ten_a', 'ten_b', 'ten_a']);
  });

  it('does not keep a failure: the next call mints again', async () => {
    let calls = 0;
    const tokens = cachedMachineTokens({
      mint: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('identity is down'))
          : Promise.resolve({ token: 'ok', expiresIn: 300 });
      },
    });
    await expect(tokens.token('ten_a')).rejects.toThrow('identity is down');
    expect(await tokens.token('ten_a')).toBe('ok');
  });

  it('forgets the least recently used tenant beyond its bound', async () => {
    const minted: string[] = [];
    const tokens = cachedMachineTokens({
      mint: (tenantId) => {
        minted.push(tenantId);
        return Promise.resolve({ token: tenantId, expiresIn: 300 });
      },
      maxTenants: 2,
    });
    for (const tenant of ['a', 'b', 'a', 'c', 'a', 'b']) await tokens.token(tenant);
    // 'b' was the least recent when 'c' arrived, so it had to be minted again.
    expect(minted).toEqual(['a', 'b', 'c', 'b']);
  });
});

describe('clientCredentialsTokens', () => {
  let server: Server;
  let tokenUrl: string;
  const requests: { authorization: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ authorization: request.headers.authorization, body });
        const form = new URLSearchParams(body);
        response.setHeader('content-type', 'application/json');
        if (form.get('tenant') === 'ten_unknown') {
          response.statusCode = 400;
          response.end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        response.end(
          JSON.stringify({ access_token: `token-for-${form.get('tenant') ?? ''}`, expires_in: 900 }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/oauth/token`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('asks the token endpoint with HTTP Basic and the tenant, and reuses the answer', async () => {
    const secret = serviceClientSecret('a deployment secret of enough length!!', 'orders');
    const tokens = clientCredentialsTokens({ tokenUrl, clientId: 'svc-orders', clientSecret: secret });
    expect(await tokens.token('ten_a')).toBe('token-for-ten_a');
    expect(await tokens.token('ten_a')).toBe('token-for-ten_a');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.authorization).toBe(
      `Basic ${Buffer.from(`svc-orders:${secret}`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      tenant: 'ten_a',
    });
  });

  it('names the OAuth error when the endpoint refuses, and never the secret', async () => {
    const tokens = clientCredentialsTokens({
      tokenUrl,
      clientId: 'svc-orders',
      clientSecret: 'x'.repeat(40),
    });
    const failure = tokens.token('ten_unknown');
    await expect(failure).rejects.toThrow('The token endpoint refused svc-orders: 400 invalid_grant');
    await expect(failure).rejects.not.toThrow('xxxx');
  });

  it('derives a different secret per service and per deployment secret', () => {
    const a = serviceClientSecret('deployment secret one, long enough', 'orders');
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(serviceClientSecret('deployment secret one, long enough', 'invoices')).not.toBe(a);
    expect(serviceClientSecret('deployment secret two, long enough', 'orders')).not.toBe(a);
  });
});
