import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, secretMatches } from './secrets.ts';

describe('secrets', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });

  it('are stored as SHA-256 and compared against it', () => {
    const secret = newSecret();
    const hash = hashSecret(secret);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(`${secret}x`, hash)).toBe(false);
    expect(secretMatches(secret, 'short')).toBe(false);
  });
});
