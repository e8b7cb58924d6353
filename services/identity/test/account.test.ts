// What users do with a token from an email: accept an invitation (verify the email, choose a
// password) and reset a forgotten password. Tokens are single use, expire, are stored hashed.
import { userInvitedV1, userPasswordResetRequestedV1 } from '@only/contracts/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeTokens } from '../src/db/schema.ts';
import { expectOAuthError, expectProblem, expectStatus } from './support/api-response.ts';
import { auditRows, refreshTokenRows, userRow } from './support/db.ts';
import { startIdentityApi, unique, type IdentityApi, type TestTenant } from './support/identity-api.ts';

let api: IdentityApi;
let tenant: TestTenant;

beforeAll(async () => {
  api = await startIdentityApi();
  tenant = await api.newTenant();
});

afterAll(async () => {
  await api.close();
});

async function requestReset(email: string, slug = tenant.slug) {
  return api.request('POST', '/password-reset-requests', { body: { tenant: slug, email } });
}

async function resetTokenFor(userId: string): Promise<{ token: string; expiresAt: string }> {
  const events = (await api.eventsOf(tenant.id, userPasswordResetRequestedV1.type)).filter(
    (event) => event.aggregateId === userId,
  );
  const data = userPasswordResetRequestedV1.schema.parse(events.at(-1)?.data);
  return data.reset;
}

describe('password reset', () => {
  it('end to end: request (202 + event with token), reset, old password and sessions gone', async () => {
    const user = await tenant.addUser(['cashier'], 'Rita Reset');
    const session = await tenant.login(user);

    const requested = await requestReset(user.email.toUpperCase());

    expect(requested.status).toBe(202);
    const event = (await api.eventsOf(tenant.id, userPasswordResetRequestedV1.type)).find(
      (e) => e.aggregateId === user.id,
    )!;
    const data = userPasswordResetRequestedV1.schema.parse(event.data);
    expect(data).toMatchObject({
      user: { id: user.id, email: user.email, name: 'Rita Reset' },
      tenant: { slug: tenant.slug, locale: 'en-GB' },
    });
    expect(Date.parse(data.reset.expiresAt) - api.clock.now().getTime()).toBe(30 * 60 * 1000);
    // Only the hash is stored.
    const stored = await api.db.select().from(oneTimeTokens);
    expect(JSON.stringify(stored)).not.toContain(data.reset.token);

    const newPassword = 'correct horse battery staple';
    const reset = await api.request('POST', '/password-resets', {
      body: { token: data.reset.token, password: newPassword },
    });

    expect(reset.status).toBe(204);
    expectOAuthError(await api.passwordGrant(tenant.slug, user.email, user.password), 400, 'invalid_grant');
    expectStatus(await api.passwordGrant(tenant.slug, user.email, newPassword), 200);
    expectOAuthError(await api.refreshGrant(session.refresh_token!), 400, 'invalid_grant');
    const sessions = await refreshTokenRows(api.db, user.id);
    expect(sessions[0]).toMatchObject({ revokedReason: 'password_reset' });
    const changed = (await api.eventsOf(tenant.id, 'identity.user.password_changed')).filter(
      (e) => e.aggregateId === user.id,
    );
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ userId: user.id, reason: 'password_reset' }),
    ]);
    const audit = (await auditRows(api.db, tenant.id)).filter((row) => row.targetId === user.id);
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['password_reset_requested', 'password_reset']),
    );
    expect(JSON.stringify(audit)).not.toContain(data.reset.token);
    expect(JSON.stringify(audit)).not.toContain(newPassword);

    // Single use.
    const again = await api.request('POST', '/password-resets', {
      body: { token: data.reset.token, password: 'yet another passphrase' },
    });
    const problem = expectProblem(again, 400, 'identity.token_invalid');
    expect(problem).toMatchObject({ field: 'token' });
  });

  it('an expired reset token is refused', async () => {
    const user = await tenant.addUser();
    await requestReset(user.email);
    const { token } = await resetTokenFor(user.id);
    api.clock.advance(30 * 60 * 1000 + 1);
    try {
      const response = await api.request('POST', '/password-resets', {
        body: { token, password: 'a good long passphrase' },
      });
      expect(expectProblem(response, 400, 'identity.token_invalid').detail).toMatch(/expired/);
      expectStatus(await api.passwordGrant(tenant.slug, user.email, user.password), 200);
    } finally {
      api.clock.set(new Date());
    }
  });

  it('a newer request makes the older token useless', async () => {
    const user = await tenant.addUser();
    await requestReset(user.email);
    const first = await resetTokenFor(user.id);
    await requestReset(user.email);
    const second = await resetTokenFor(user.id);
    expect(second.token).not.toBe(first.token);
    expectProblem(
      await api.request('POST', '/password-resets', {
        body: { token: first.token, password: 'a good long passphrase' },
      }),
      400,
      'identity.token_invalid',
    );
    expect(
      (
        await api.request('POST', '/password-resets', {
          body: { token: second.token, password: 'a good long passphrase' },
        })
      ).status,
    ).toBe(204);
  });

  it('the password policy: 12+ characters, a 422 naming the field; the token stays usable', async () => {
    const user = await tenant.addUser();
    await requestReset(user.email);
    const { token } = await resetTokenFor(user.id);
    const weak = await api.request('POST', '/password-resets', { body: { token, password: 'short pw' } });
    const problem = expectProblem(weak, 422, 'identity.weak_password');
    expect(problem).toMatchObject({ field: 'password', errors: [{ field: 'password', rule: 'min_length' }] });
    expect(
      (await api.request('POST', '/password-resets', { body: { token, password: 'twelve chars' } })).status,
    ).toBe(204);
  });

  it('unknown emails and tenants get the same 202 and no event; nothing is revealed', async () => {
    const before = (await api.eventsOf(tenant.id, userPasswordResetRequestedV1.type)).length + 1;
    const unknownEmail = await requestReset('nobody@nowhere.test');
    const unknownTenant = await requestReset('someone@example.test', 'no-such-tenant');
    const known = await requestReset(tenant.owner.email);
    for (const response of [unknownEmail, unknownTenant]) {
      expect(response.status).toBe(202);
      expect(response.text).toBe(known.text);
    }
    expect((await api.eventsOf(tenant.id, userPasswordResetRequestedV1.type)).length).toBe(before);
    expectProblem(
      await api.request('POST', '/password-resets', {
        body: { token: 'made-up', password: 'a good long passphrase' },
      }),
      400,
      'identity.token_invalid',
    );
  });
});

describe('invitations and email verification', () => {
  it('an invited user verifies the email and chooses a password with the token of the invitation', async () => {
    const ownerToken = (await tenant.login()).access_token;
    const email = `${unique('invitee')}@example.test`;

    const invited = expectStatus(
      await api.request('POST', '/users', {
        token: ownerToken,
        body: { email, name: 'Ivy Invitee', roles: ['cashier'] },
      }),
      201,
    ) as { id: string; emailVerifiedAt: string | null };

    expect(invited.emailVerifiedAt).toBeNull();
    const event = (await api.eventsOf(tenant.id, userInvitedV1.type)).find(
      (e) => e.aggregateId === invited.id,
    )!;
    const data = userInvitedV1.schema.parse(event.data);
    expect(data).toMatchObject({
      user: { id: invited.id, email, name: 'Ivy Invitee', roles: ['cashier'] },
      tenant: { slug: tenant.slug, name: `Tenant ${tenant.slug}`, locale: 'en-GB' },
      invitedBy: { type: 'user', id: tenant.owner.id },
    });
    // The invited user cannot sign in before choosing a password.
    expectOAuthError(await api.passwordGrant(tenant.slug, email, 'any guess at all'), 400, 'invalid_grant');

    const password = 'my own fine passphrase';
    const verified = await api.request('POST', '/email-verification', {
      body: { token: data.verification.token, password },
    });

    expect(verified.status).toBe(204);
    expect((await userRow(api.db, invited.id))!.emailVerifiedAt).not.toBeNull();
    expectStatus(await api.passwordGrant(tenant.slug, email, password), 200);
    const updates = (await api.eventsOf(tenant.id, 'identity.user.updated')).filter(
      (e) => e.aggregateId === invited.id,
    );
    expect(updates.map((e) => (e.data as { changed: string[] }).changed)).toEqual([['emailVerifiedAt']]);
    expectProblem(
      await api.request('POST', '/email-verification', { body: { token: data.verification.token } }),
      400,
      'identity.token_invalid',
    );
    expect(
      (await auditRows(api.db, tenant.id, 'email_verified')).some((r) => r.targetId === invited.id),
    ).toBe(true);
  });

  it('verification without a password only verifies; an expired invitation is refused', async () => {
    const ownerToken = (await tenant.login()).access_token;
    const invite = async () => {
      const user = expectStatus(
        await api.request('POST', '/users', {
          token: ownerToken,
          body: { email: `${unique('v')}@example.test`, name: 'V', roles: ['viewer'] },
        }),
        201,
      ) as { id: string };
      const event = (await api.eventsOf(tenant.id, userInvitedV1.type)).find(
        (e) => e.aggregateId === user.id,
      )!;
      return { id: user.id, token: userInvitedV1.schema.parse(event.data).verification.token };
    };
    const first = await invite();
    expect((await api.request('POST', '/email-verification', { body: { token: first.token } })).status).toBe(
      204,
    );
    expect((await userRow(api.db, first.id))!.emailVerifiedAt).not.toBeNull();

    const second = await invite();
    api.clock.advance(7 * 24 * 60 * 60 * 1000 + 1);
    try {
      expectProblem(
        await api.request('POST', '/email-verification', { body: { token: second.token } }),
        400,
        'identity.token_invalid',
      );
      expect((await userRow(api.db, second.id))!.emailVerifiedAt).toBeNull();
    } finally {
      api.clock.set(new Date());
    }
  });
});
