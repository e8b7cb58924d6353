/**
 * Authentication: verifying access tokens against an issuer's keys, and who they speak for.
 * Routes declare the permission they need (`config.permission`) and `authorizeRoutes` from
 * `@only/platform/http` enforces it.
 * @module
 */
export { actorOf, type Principal } from './principal.ts';
export { discoveredKeySource, localKeySource, remoteKeySource, type KeySource } from './key-source.ts';
export {
  createTokenVerifier,
  InvalidTokenError,
  ONLY_CLAIMS,
  type ClaimMapping,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.ts';
export { authConfigSchema, verifierFromConfig, type AuthConfig } from './auth-config.ts';
export {
  cachedMachineTokens,
  clientCredentialsTokens,
  machineTokenConfigSchema,
  serviceClientId,
  serviceClientSecret,
  type CachedMachineTokensOptions,
  type ClientCredentialsTokensOptions,
  type MachineTokenSource,
  type MintedToken,
} from './machine-tokens.ts';
