import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

/** Resolves the public key a token's header names; what `jwtVerify` takes. */
export type KeySource = JWTVerifyGetKey;

/**
 * Keys from a JWKS URL, cached; a token signed with a key id not in the cache makes it fetch the
 * set again (at most once per `cooldownMs`), so keys rotated in by the issuer are picked up.
 */
export function remoteKeySource(
  url: URL,
  options: { cooldownMs?: number; cacheMaxAgeMs?: number } = {},
): KeySource {
  return createRemoteJWKSet(url, {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: 5_000,
  });
}

/**
 * Keys from an OpenID provider's discovery document (`<issuer>/.well-known/openid-configuration`,
 * its `jwks_uri`), looked up on first use: works with Only's identity service and with external
 * providers such as Keycloak alike.
 */
export function discoveredKeySource(issuer: string): KeySource {
  let source: Promise<KeySource> | undefined;
  const discover = async (): Promise<KeySource> => {
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`OpenID discovery at ${issuer} answered ${String(response.status)}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string')
      throw new Error(`OpenID discovery at ${issuer} has no jwks_uri`);
    return remoteKeySource(new URL(document.jwks_uri));
  };
  return async (header, token) => {
    source ??= discover().catch((error: unknown) => {
      source = undefined; // try again on the next token
      throw error;
    });
    return (await source)(header, token);
  };
}

/**
 * Keys read in-process (embedded mode: the identity service's own key store), reloaded when a
 * token names a key id the loaded set lacks — at most once per `cooldownMs`.
 */
export function localKeySource(
  load: () => Promise<JSONWebKeySet>,
  options: { cooldownMs?: number } = {},
): KeySource {
  const cooldownMs = options.cooldownMs ?? 1_000;
  let current: { keys: KeySource; loadedAt: number } | undefined;
  const reload = async () => {
    current = { keys: createLocalJWKSet(await load()), loadedAt: Date.now() };
    return current.keys;
  };
  return async (header, token) => {
    const keys = current?.keys ?? (await reload());
    try {
      return await keys(header, token);
    } catch (error) {
      const stale = current === undefined || Date.now() - current.loadedAt >= cooldownMs;
      if (error instanceof errors.JWKSNoMatchingKey && stale) return (await reload())(header, token);
      throw error;
    }
  };
}
