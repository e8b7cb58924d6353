import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new opaque secret (refresh token, one-time token, client secret): 32 random bytes,
 * base64url — 256 bits of entropy, so a fast hash is enough to store it.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, base64url: what is stored and looked up instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Whether `secret` hashes to `expectedHash`, compared in constant time. */
export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret));
  const expected = Buffer.from(expectedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
