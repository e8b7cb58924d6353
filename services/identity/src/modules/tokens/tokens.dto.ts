import { z } from 'zod';

/** The grant types of the token endpoint. */
export const GRANT_TYPES = ['password', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** Scopes a user's token request may ask for (OpenID Connect). */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const param = (description: string) => z.string().max(4096).optional().describe(description);

/**
 * A token request (RFC 6749 §4.3, §4.4, §6), as a form (`application/x-www-form-urlencoded`) or
 * JSON. Which parameters are required depends on `grant_type`; that is checked by the service so
 * that every problem is an OAuth `invalid_request`.
 */
export const tokenRequestBody = z
  .object({
    grant_type: param('`password`, `refresh_token` or `client_credentials`.'),
    username: param('password grant: the email of the user.'),
    password: param('password grant: the password of the user.'),
    tenant: param('password grant: the slug of the tenant the user belongs to.'),
    refresh_token: param('refresh_token grant: the refresh token.'),
    scope: param('Space-separated scopes: openid, profile, email, offline_access.'),
    client_id: param('The client: `only-web` for the web app, or an API client id.'),
    client_secret: param('An API client secret, when not sent with HTTP Basic authentication.'),
  })
  .meta({ id: 'TokenRequest' });
export type TokenRequest = z.output<typeof tokenRequestBody>;

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().describe('Seconds until the access token expires.'),
    refresh_token: z.string().optional().describe('Single use: each refresh returns a new one.'),
    scope: z.string().optional(),
    id_token: z.string().optional().describe('With scope `openid`.'),
  })
  .meta({ id: 'TokenResponse' });
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export const revokeRequestBody = z
  .object({
    token: param('The refresh token to revoke.'),
    token_type_hint: param('`refresh_token` or `access_token`.'),
    client_id: param('The client the token was issued to.'),
    client_secret: param('An API client secret, when not sent with HTTP Basic authentication.'),
  })
  .meta({ id: 'RevokeRequest' });
export type RevokeRequest = z.output<typeof revokeRequestBody>;

export const logoutBody = z
  .object({ refreshToken: z.string().min(1).max(200).describe('The refresh token of the session to end.') })
  .strict()
  .meta({ id: 'Logout' });

export const userinfoSchema = z
  .object({
    sub: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string(),
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    roles: z.array(z.string()),
  })
  .meta({ id: 'UserInfo' });
export type UserInfo = z.output<typeof userinfoSchema>;

export const discoverySchema = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string(),
    token_endpoint: z.string(),
    revocation_endpoint: z.string(),
    userinfo_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()),
    claims_supported: z.array(z.string()),
  })
  .meta({ id: 'OpenIdConfiguration' });
export type Discovery = z.output<typeof discoverySchema>;

export const jwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'JsonWebKeySet' });
