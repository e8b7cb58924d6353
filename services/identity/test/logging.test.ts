// Passwords, tokens and secrets never reach the logs.
import { capturingLogger } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from './support/api-response.ts';
import { startIdentityApi, type IdentityApi, type Tokens } from './support/identity-api.ts';

let api: IdentityApi;
let lines: () => string[];

beforeAll(async () => {
  const capture = capturingLogger('debug');
  lines = capture.lines;
  api = await startIdentityApi({ logger: capture.logger });
});

afterAll(async () => {
  await api.close();
});

describe('logs', () => {
  it('never contain a password, an access or refresh token, a client secret or a reset token', async () => {
    const tenant = await api.newTenant();
    const user = await tenant.addUser(['admin']);
    const secrets: string[] = [user.password, tenant.owner.password];

    const tokens = expectStatus(
      await api.passwordGrant(tenant.slug, user.email, user.password),
      200,
    ) as Tokens;
    secrets.push(tokens.access_token, tokens.refresh_token!);
    const refreshed = expectStatus(await api.refreshGrant(tokens.refresh_token!), 200) as Tokens;
    secrets.push(refreshed.access_token, refreshed.refresh_token!);
    // Reuse detection logs a warning: about the family, not the token.
    await api.refreshGrant(tokens.refresh_token!);
    await api.passwordGrant(tenant.slug, user.email, 'a wrong password guess');
    const client = expectStatus(
      await api.request('POST', '/clients', {
        token: (await tenant.login()).access_token,
        body: { name: 'Logger test', roles: ['viewer'] },
      }),
      201,
    ) as { id: string; secret: string };
    secrets.push(client.secret, 'a wrong password guess');
    await api.tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    await api.request('POST', '/password-reset-requests', {
      body: { tenant: tenant.slug, email: user.email },
    });
    await api.request('POST', '/password-resets', {
      body: { token: 'not-a-real-token-xyz', password: 'short' },
    });
    await api.settle();

    const log = lines().join('\n');
    expect(lines().length).toBeGreaterThan(10);
    for (const secret of secrets) expect(log).not.toContain(secret);
    const resetToken = (
      api.recorder.events('identity.user.password_reset_requested')[0]?.data as { reset: { token: string } }
    ).reset.token;
    expect(log).not.toContain(resetToken);
  });
});
