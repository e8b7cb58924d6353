import { describe, expect, it } from 'vitest';
import { OWASP_ARGON2ID, PasswordHasher } from './password-hasher.ts';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('stores argon2id with the OWASP cost as a PHC string, salted per hash', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
  });

  it('verifies the right password only', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', hash)).toBe(false);
    expect(await hasher.verify('', hash)).toBe(false);
  });

  it('a malformed or foreign hash matches nothing', async () => {
    expect(await hasher.verify('x', 'not a hash')).toBe(false);
    expect(await hasher.verify('x', '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA')).toBe(false);
    expect(await hasher.verifyNobody('x')).toBe(false);
  });

  it('verifies hashes of another cost, and says they need a rehash', async () => {
    const cheap = new PasswordHasher({ memory: 8_192, passes: 1, parallelism: 1 });
    const hash = await cheap.hash('a long enough password');
    expect(await hasher.verify('a long enough password', hash)).toBe(true);
    expect(hasher.needsRehash(hash)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('a long enough password'))).toBe(false);
    expect(OWASP_ARGON2ID).toEqual({ memory: 19_456, passes: 2, parallelism: 1 });
  });
});
