import { API_AUDIENCE } from '@only/contracts/auth';
import { z } from 'zod';
import { optionalUrl } from '../config/fields.ts';
import { discoveredKeySource, remoteKeySource } from './key-source.ts';
import { createTokenVerifier, ONLY_CLAIMS, type TokenVerifier } from './token-verifier.ts';

/**
 * Configuration of access-token verification, shared by every process that serves routes: Only's
 * identity service by default, or any OpenID provider (Keycloak…) by setting its issuer and, when
 * its claims differ, where the tenant, roles and permissions are.
 */
export const authConfigSchema = z.object({
  AUTH_ISSUER: z
    .url()
    .describe(
      "Issuer of access tokens (`iss`); its OpenID discovery document names the keys. Only's own: `<gateway URL>/api/identity`.",
    ),
  AUTH_JWKS_URL: optionalUrl(['http', 'https'], 'JWKS of the issuer; found by OpenID discovery when absent.'),
  AUTH_AUDIENCE: z
    .string()
    .min(1)
    .default(API_AUDIENCE)
    .describe('Required audience (`aud`) of access tokens.'),
  AUTH_TENANT_CLAIM: z
    .string()
    .default(ONLY_CLAIMS.tenant)
    .describe('Claim (dotted path) naming the tenant id.'),
  AUTH_ROLES_CLAIM: z
    .string()
    .default(ONLY_CLAIMS.roles)
    .describe('Claim (dotted path) listing role names, e.g. `realm_access.roles` for Keycloak.'),
  AUTH_PERMISSIONS_CLAIM: z
    .string()
    .default(ONLY_CLAIMS.permissions)
    .describe("Claim listing permissions; without it, the built-in roles' permissions apply."),
});

/** Parsed {@link authConfigSchema}. */
export type AuthConfig = z.output<typeof authConfigSchema>;

/** The verifier a process's configuration describes. */
export function verifierFromConfig(config: AuthConfig): TokenVerifier {
  return createTokenVerifier({
    keys:
      config.AUTH_JWKS_URL === undefined
        ? discoveredKeySource(config.AUTH_ISSUER)
        : remoteKeySource(new URL(config.AUTH_JWKS_URL)),
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    claims: {
      tenant: config.AUTH_TENANT_CLAIM,
      roles: config.AUTH_ROLES_CLAIM,
      permissions: config.AUTH_PERMISSIONS_CLAIM,
    },
  });
}
