// Sign-in lockout: 5 consecutive failures lock an account for a minute, doubling per further
// failure up to an hour; while locked, 429 with Retry-After; everything audited. Accounts that do
// not exist lock the same way.
import { queryRows } from '@only/platform/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOAuthError, expectProblem, expectStatus } from './support/api-response.ts';
import { auditRows, userRow } from './support/db.ts';
import { startIdentityApi, type IdentityApi, type TestTenant } from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

const WRONG = 'definitely not the password';

describe('lockout', () => {
  it('locks after 5 failures (429, Retry-After), refuses even the right password, and audits it', async () => {
    const user = await tenant.addUser();
    for (let i = 1; i <= 4; i++) {
      expectOAuthError(await api.passwordGrant(tenant.slug, user.email, WRONG), 400, 'invalid_grant');
    }

    const fifth = await api.passwordGrant(tenant.slug, user.email, WRONG);

    const problem = expectProblem(fifth, 429, 'identity.account_locked');
    expect(problem.retryAfter).toBe(60);
    expect(fifth.header('retry-after')).toBe('60');
    expect(fifth.header('cache-control')).toBe('no-store');
    const stored = await userRow(api.db, user.id);
    expect(stored).toMatchObject({ failedLoginCount: 5 });
    expect(stored!.lockedUntil!.getTime() - api.clock.now().getTime()).toBe(60_000);

    // The right password does not help while locked; nor is it checked.
    api.clock.advance(20_000);
    const locked = await api.passwordGrant(tenant.slug, user.email, user.password);
    expectProblem(locked, 429, 'identity.account_locked');
    expect(locked.header('retry-after')).toBe('40');

    const failures = (await auditRows(api.db, tenant.id, 'login_failed')).filter(
      (r) => r.targetId === user.id,
    );
    expect(failures.map((row) => row.details.reason)).toEqual([
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'locked',
    ]);
    const locks = (await auditRows(api.db, tenant.id, 'account_locked')).filter(
      (r) => r.targetId === user.id,
    );
    expect(locks).toHaveLength(1);
    expect(locks[0]!.details).toMatchObject({ failures: 5, lockedForSeconds: 60 });
    expect(JSON.stringify([...failures, ...locks])).not.toContain(WRONG);
    expect(JSON.stringify([...failures, ...locks])).not.toContain(user.password);
  });

  it('each further failure after the lock doubles it, up to an hour; success resets everything', async () => {
    const user = await tenant.addUser();
    for (let i = 1; i <= 5; i++) await api.passwordGrant(tenant.slug, user.email, WRONG);

    const expected = [120, 240, 480, 960, 1920, 3600, 3600];
    for (const seconds of expected) {
      const lockedUntil = (await userRow(api.db, user.id))!.lockedUntil!;
      api.clock.set(new Date(lockedUntil.getTime() + 1));
      const response = await api.passwordGrant(tenant.slug, user.email, WRONG);
      expectProblem(response, 429, 'identity.account_locked');
      expect(response.header('retry-after')).toBe(String(seconds));
    }

    const lockedUntil = (await userRow(api.db, user.id))!.lockedUntil!;
    api.clock.set(new Date(lockedUntil.getTime() + 1));
    try {
      expectStatus(await api.passwordGrant(tenant.slug, user.email, user.password), 200);
      expect(await userRow(api.db, user.id)).toMatchObject({ failedLoginCount: 0, lockedUntil: null });
      expectOAuthError(await api.passwordGrant(tenant.slug, user.email, WRONG), 400, 'invalid_grant');
    } finally {
      api.clock.set(new Date());
    }
  });

  it('a success before the fifth failure resets the count', async () => {
    const user = await tenant.addUser();
    for (let i = 1; i <= 4; i++) await api.passwordGrant(tenant.slug, user.email, WRONG);
    expectStatus(await api.passwordGrant(tenant.slug, user.email, user.password), 200);
    for (let i = 1; i <= 4; i++) {
      expectOAuthError(await api.passwordGrant(tenant.slug, user.email, WRONG), 400, 'invalid_grant');
    }
    expect(await userRow(api.db, user.id)).toMatchObject({ failedLoginCount: 4, lockedUntil: null });
    const success = (await auditRows(api.db, tenant.id, 'login_succeeded')).filter(
      (r) => r.targetId === user.id,
    );
    expect(success).toHaveLength(1);
    expect(success[0]).toMatchObject({ actorType: 'user', actorId: user.id });
  });

  it('unknown emails and tenants lock exactly like real accounts: the lockout reveals nothing', async () => {
    const user = await tenant.addUser();
    const attempts = (slug: string, email: string) => async () => {
      const answers: string[] = [];
      for (let i = 1; i <= 7; i++) {
        const response = await api.passwordGrant(slug, email, WRONG);
        const body = response.json() as { error?: string; code?: string };
        answers.push(
          `${response.status} ${body.error ?? body.code ?? ''} ${response.header('retry-after') ?? '-'}`,
        );
        if (i === 6) api.clock.advance(61_000); // the first lock (1 min) has ended: the 7th fails again
      }
      return answers;
    };
    const start = api.clock.now();
    const real = await attempts(tenant.slug, user.email)();
    api.clock.set(start);
    const ghost = await attempts(tenant.slug, 'ghost@nowhere.test')();
    api.clock.set(start);
    const ghostTenant = await attempts('no-such-tenant', user.email)();
    api.clock.set(new Date());

    expect(real).toEqual([
      '400 invalid_grant -',
      '400 invalid_grant -',
      '400 invalid_grant -',
      '400 invalid_grant -',
      '429 identity.account_locked 60',
      '429 identity.account_locked 60',
      '429 identity.account_locked 120',
    ]);
    expect(ghost).toEqual(real);
    expect(ghostTenant).toEqual(real);
    const unknown = (await auditRows(api.db, tenant.id, 'login_failed')).filter(
      (row) => row.details.email === 'ghost@nowhere.test',
    );
    expect(unknown.length).toBeGreaterThanOrEqual(5);
    expect(unknown.every((row) => row.targetId === null && row.details.reason === 'unknown_user')).toBe(true);
  });

  it('the failure counts of unknown accounts hold no username and are pruned a day later', async () => {
    for (let i = 1; i <= 2; i++) await api.passwordGrant(tenant.slug, 'someone@nowhere.test', WRONG);
    const rows = await queryRows<Record<string, unknown>>(
      api.db,
      sql`select * from identity.unknown_account_failures`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('someone@nowhere.test');
    api.clock.advance(25 * 60 * 60 * 1000);
    try {
      const removed = await api.module.housekeeping.prune();
      expect(removed.unknownAccounts).toBe(rows.length);
    } finally {
      api.clock.set(new Date());
    }
  });

  it('a password reset clears the lock', async () => {
    const user = await tenant.addUser();
    for (let i = 1; i <= 5; i++) await api.passwordGrant(tenant.slug, user.email, WRONG);
    await api.request('POST', '/password-reset-requests', {
      body: { tenant: tenant.slug, email: user.email },
    });
    const event = (await api.eventsOf(tenant.id, 'identity.user.password_reset_requested')).find(
      (e) => e.aggregateId === user.id,
    )!;
    const token = (event.data as { reset: { token: string } }).reset.token;
    const newPassword = 'a brand new passphrase';
    expect(
      (await api.request('POST', '/password-resets', { body: { token, password: newPassword } })).status,
    ).toBe(204);
    expectStatus(await api.passwordGrant(tenant.slug, user.email, newPassword), 200);
  });
});
