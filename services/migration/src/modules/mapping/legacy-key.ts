// The text form of a legacy key, used as the key of the legacy-key → Only-id map. The same row
// must give the same text whichever connector read it, so parts are normalised to text first.

/**
 * Encodes key values as a JSON array of strings: numbers in decimal (1 and '1' are the same key,
 * as they are when MySQL gives a number and a CSV file gives text), text without trailing spaces
 * (CHAR padding; SQL compares padded text equal too), booleans as true/false, bytes as hex.
 * Null parts are not allowed: callers check first.
 */
export function encodeLegacyKey(values: readonly unknown[]): string {
  return JSON.stringify(values.map(keyPart));
}

function keyPart(value: unknown): string {
  if (typeof value === 'string') return value.trimEnd();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  throw new TypeError(
    `a key part must be text, a number or bytes, got ${value === null ? 'null' : typeof value}`,
  );
}

/** The key values back from {@link encodeLegacyKey} (as text). */
export function decodeLegacyKey(encoded: string): string[] {
  const parsed: unknown = JSON.parse(encoded);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new TypeError(`not an encoded legacy key: ${encoded}`);
  }
  return parsed;
}

/** True when a key part is missing (null, undefined or blank text). */
export function isMissingKeyPart(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
