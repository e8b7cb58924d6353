/** What replaces a redacted value. */
export const CENSOR = '[REDACTED]';

/**
 * Keys whose values never reach a log line, matched case-insensitively at any depth: passwords,
 * tokens, secrets, API keys, card data, session cookies, connection strings.
 */
export const SENSITIVE_KEYS: readonly string[] = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'x-api-key',
  'privateKey',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'idempotency-key',
  'cardNumber',
  'card_number',
  'pan',
  'cvc',
  'cvv',
  'securityCode',
  'databaseUrl',
  'DATABASE_URL',
];

const SENSITIVE = new Set(SENSITIVE_KEYS.map((key) => key.toLowerCase()));
/** Deeper than this, values are left alone: log objects are shallow; cycles must not hang. */
const MAX_DEPTH = 8;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of `value` with every sensitive key's value replaced by {@link CENSOR}; the input is never
 * mutated and is returned as is when there was nothing to hide (the common case costs a walk, no
 * allocation). Walks plain objects and arrays; leaves class instances (dates, buffers) alone.
 */
export function redact<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const cleaned = redact(item, depth + 1);
      if (cleaned !== item) {
        copy ??= [...(value as unknown[])];
        copy[i] = cleaned;
      }
    }
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const cleaned = SENSITIVE.has(key.toLowerCase()) ? CENSOR : redact(item, depth + 1);
    if (cleaned !== item) {
      copy ??= { ...value };
      copy[key] = cleaned;
    }
  }
  return (copy ?? value) as T;
}
