import { z } from 'zod';

/** The audience of access tokens for the Only API. */
export const API_AUDIENCE = 'only-api';

/**
 * Claims of an Only access token (a JWT, RFC 9068 profile, header `typ: at+jwt`), beyond the
 * registered ones (`iss`, `aud`, `sub`, `exp`, `iat`, `jti`). `sub` is a user id (`usr_…`) or, for
 * machines, an API client id (`cli_…`).
 */
export const accessTokenClaimsSchema = z.object({
  /** The tenant the token acts in. */
  tid: z.string().min(1),
  /** Role names granted (built-in or the tenant's custom roles). */
  roles: z.array(z.string()),
  /** Permissions the roles grant, resolved when the token was issued. */
  permissions: z.array(z.string()),
  /** The OAuth2 client the token was issued to. */
  client_id: z.string().min(1),
});

/** Claims of an Only access token beyond the registered ones. */
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;
