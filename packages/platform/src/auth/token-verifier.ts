import { BUILT_IN_ROLES, isBuiltInRole } from '@only/contracts/auth';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { isId } from '../ids/ids.ts';
import type { KeySource } from './key-source.ts';
import type { Principal } from './principal.ts';

/** Where a token keeps what Only needs; dotted paths reach into objects (`realm_access.roles`). */
export interface ClaimMapping {
  readonly tenant: string;
  readonly roles: string;
  /**
   * Permissions granted. When a token lacks this claim (external providers), the permissions of
   * its built-in roles are used.
   */
  readonly permissions: string;
}

/** Only's own claims (see `@only/contracts/auth`). */
export const ONLY_CLAIMS: ClaimMapping = { tenant: 'tid', roles: 'roles', permissions: 'permissions' };

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  readonly keys: KeySource;
  /** Accepted `iss` values. */
  readonly issuer: string | readonly string[];
  /** Required `aud` value. */
  readonly audience: string;
  /** Accepted signature algorithms; never `none`, never an HMAC a public key could forge. */
  readonly algorithms?: readonly string[];
  readonly claims?: ClaimMapping;
  readonly clockToleranceSeconds?: number;
  /** Verified tokens remembered (by their exact text) until they expire; 0 turns it off. */
  readonly cacheSize?: number;
}

/** Why a token was refused; the message is safe to show to the caller. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Verifies access tokens and tells whom they speak for. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringArray(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter((s) => s !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The token's "${error.claim}" claim is not accepted.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signature algorithm is not accepted.";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was signed with an unknown key.';
  return 'The token is not valid.';
}

/**
 * Verifies access tokens (JWS-signed JWTs) against a key source: signature with an allowed
 * algorithm, issuer, audience, expiry (with a small clock tolerance), then reads the tenant,
 * roles and permissions. Everything a token is refused for is an {@link InvalidTokenError}.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const claims = options.claims ?? ONLY_CLAIMS;
  const verifyOptions = {
    issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer],
    audience: options.audience,
    algorithms: [...(options.algorithms ?? ['EdDSA', 'ES256', 'RS256'])],
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['sub', 'exp', 'iat'],
  };
  const cacheSize = options.cacheSize ?? 10_000;
  // A token is immutable and signed: the same text verified once stays valid until it expires.
  const verified = new Map<string, Principal>();
  const remember = (token: string, principal: Principal) => {
    if (cacheSize === 0) return;
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, principal);
  };
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known !== undefined) {
        if (known.expiresAt.getTime() > Date.now()) return known;
        verified.delete(token);
        throw new InvalidTokenError('The token has expired.');
      }
      const principal = await verifyAndRead(token);
      remember(token, principal);
      return principal;
    },
  };

  async function verifyAndRead(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, verifyOptions));
    } catch (error) {
      throw new InvalidTokenError(reasonOf(error), { cause: error });
    }
    const tenantId = claimAt(payload, claims.tenant);
    if (typeof tenantId !== 'string' || !isId('ten', tenantId))
      throw new InvalidTokenError(`The token's "${claims.tenant}" claim does not name a tenant.`);
    const roles = stringArray(claimAt(payload, claims.roles)) ?? [];
    const granted =
      stringArray(claimAt(payload, claims.permissions)) ??
      roles.flatMap((role) => (isBuiltInRole(role) ? BUILT_IN_ROLES[role].permissions : []));
    const subject = payload.sub ?? '';
    const clientId = claimAt(payload, 'client_id') ?? claimAt(payload, 'azp');
    return {
      tenantId,
      subject,
      kind: subject.startsWith('cli_') ? 'client' : 'user',
      roles,
      permissions: new Set(granted),
      clientId: typeof clientId === 'string' ? clientId : undefined,
      tokenId: payload.jti,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }
}
