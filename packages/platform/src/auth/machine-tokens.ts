import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { optionalUrl } from '../config/fields.ts';

/**
 * Access tokens a platform service presents for work no user started (an event handler capturing
 * a payment, issuing an invoice): one per tenant, since every token names exactly one.
 */
export interface MachineTokenSource {
  token(tenantId: string): Promise<string>;
}

/** A freshly minted access token and its lifetime in seconds, as a token endpoint answers. */
export interface MintedToken {
  readonly token: string;
  readonly expiresIn: number;
}

/** Client id of a platform service at the token endpoint: `svc-<service>`. */
export function serviceClientId(service: string): string {
  return `svc-${service}`;
}

/**
 * The client secret of a platform service, derived from the deployment's service secret: identity
 * holds only that one secret and each service only its own derivative, so no list of secrets is
 * kept anywhere and a leaked service secret speaks for that service alone.
 */
export function serviceClientSecret(deploymentSecret: string, service: string): string {
  return createHmac('sha256', deploymentSecret).update(serviceClientId(service)).digest('base64url');
}

/** Options of {@link cachedMachineTokens}. */
export interface CachedMachineTokensOptions {
  /** Mints a token for one tenant. */
  readonly mint: (tenantId: string) => Promise<MintedToken>;
  /** Renew this long before expiry, so a token never expires in flight. */
  readonly renewBeforeSeconds?: number;
  /** Most tenants whose tokens are kept; the least recently used go first. */
  readonly maxTenants?: number;
  readonly now?: () => number;
}

/**
 * Keeps one token per tenant until shortly before it expires; concurrent callers for a tenant share
 * one mint.
 */
export function cachedMachineTokens(options: CachedMachineTokensOptions): MachineTokenSource {
  const renewMs = (options.renewBeforeSeconds ?? 60) * 1000;
  const maxTenants = options.maxTenants ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { token: string; renewAt: number }>();
  const minting = new Map<string, Promise<string>>();
  return {
    token(tenantId) {
      const cached = cache.get(tenantId);
      if (cached !== undefined && cached.renewAt > now()) {
        // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
        cache.delete(tenantId);
        cache.set(tenantId, cached);
        return Promise.resolve(cached.token);
      }
      const pending = minting.get(tenantId);
      if (pending !== undefined) return pending;
      const minted = options
        .mint(tenantId)
        .then(({ token, expiresIn }) => {
          cache.delete(tenantId);
          cache.set(tenantId, { token, renewAt: now() + Math.max(0, expiresIn * 1000 - renewMs) });
          const oldest = cache.size > maxTenants ? cache.keys().next().value : undefined;
          if (oldest !== undefined) cache.delete(oldest);
          return token;
        })
        .finally(() => minting.delete(tenantId));
      minting.set(tenantId, minted);
      return minted;
    },
  };
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** Options of {@link clientCredentialsTokens}. */
export interface ClientCredentialsTokensOptions {
  /** The issuer's token endpoint, e.g. `http://identity:3005/oauth/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs?: number;
}

/**
 * Machine tokens from an OAuth 2.0 token endpoint: the client-credentials grant with HTTP Basic
 * authentication and the tenant the token is for, cached per tenant.
 */
export function clientCredentialsTokens(options: ClientCredentialsTokensOptions): MachineTokenSource {
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  return cachedMachineTokens({
    mint: async (tenantId) => {
      const response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', tenant: tenantId }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const reason = z.object({ error: z.string() }).safeParse(body).data?.error ?? 'no OAuth error';
        throw new Error(
          `The token endpoint refused ${options.clientId}: ${String(response.status)} ${reason}`,
        );
      }
      const parsed = tokenResponseSchema.parse(body);
      return { token: parsed.access_token, expiresIn: parsed.expires_in };
    },
  });
}

/** Configuration of a service process that calls others on its own behalf. */
export const machineTokenConfigSchema = z.object({
  SERVICE_CLIENT_SECRET: z.string().min(32).optional().meta({
    description:
      "This service's client secret at identity's token endpoint, for calls no user started (events, jobs): `serviceClientSecret(IDENTITY_SERVICE_SECRET, <service>)` (the cluster launcher derives it).",
    secret: true,
  }),
  SERVICE_TOKEN_URL: optionalUrl(
    ['http', 'https'],
    'Token endpoint for those calls; `<AUTH_ISSUER>/oauth/token` when absent.',
  ),
});
