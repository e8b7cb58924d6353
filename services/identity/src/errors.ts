import { defineErrors, type AppError } from '@only/platform/errors';

/** Errors of the identity service: `identity.<name>`, documented at `/problems/identity.<name>`. */
export const identityErrors = defineErrors('identity', {
  tenant_not_found: { status: 404, title: 'Tenant not found' },
  user_not_found: { status: 404, title: 'User not found' },
  role_not_found: { status: 404, title: 'Role not found' },
  client_not_found: { status: 404, title: 'API client not found' },
  tenant_slug_taken: { status: 409, title: 'Another tenant already has this slug' },
  user_email_taken: {
    status: 409,
    title: 'Another user of the tenant already has this email',
    description: 'Emails are unique within a tenant, compared without regard to case.',
  },
  role_name_taken: {
    status: 409,
    title: 'The role name is already used',
    description: 'Custom role names must differ from the built-in roles and from each other.',
  },
  role_in_use: {
    status: 409,
    title: 'The role is still assigned',
    description: 'Remove the role from every user and API client (`assignedTo`) before deleting it.',
  },
  last_owner: {
    status: 409,
    title: 'The tenant would have no active owner left',
    description: 'Give another active user the owner role before removing it from, or disabling, this one.',
  },
  unknown_role: {
    status: 422,
    title: 'A role does not exist',
    description:
      'Roles must be built-in (owner, admin, manager, cashier, viewer) or custom roles of the tenant.',
  },
  weak_password: {
    status: 422,
    title: 'The password does not meet the password policy',
    description: 'Passwords have 12 to 256 characters.',
  },
  token_invalid: {
    status: 400,
    title: 'The token is invalid, expired or already used',
    description: 'Tokens sent by email are single-use and expire; request a new one.',
  },
  account_locked: {
    status: 429,
    title: 'The account is locked after repeated failed sign-ins',
    description:
      'After 5 consecutive failures the account is locked for 1 minute, doubling with each further failure up to 1 hour. `retryAfter` (and the Retry-After header) says how many seconds remain.',
  },
  // OAuth 2.0 errors (RFC 6749 §5.2): rendered as problems with `error` and `error_description`.
  invalid_request: {
    status: 400,
    title: 'The token request is missing or repeats a parameter, or is malformed',
  },
  invalid_client: {
    status: 401,
    title: 'Client authentication failed',
    description:
      'Unknown client, wrong or missing secret, revoked client, or unsupported authentication method.',
  },
  invalid_grant: {
    status: 400,
    title: 'The grant is invalid',
    description:
      'Wrong credentials, or a refresh token that is invalid, expired, revoked, already used or issued to another client.',
  },
  unauthorized_client: { status: 400, title: 'The client may not use this grant type' },
  unsupported_grant_type: { status: 400, title: 'The grant type is not supported' },
  invalid_scope: { status: 400, title: 'The requested scope is invalid or unknown' },
});

/** The OAuth 2.0 error codes of RFC 6749 §5.2. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

/**
 * An OAuth 2.0 error as a problem document that OAuth clients understand too: `error` and
 * `error_description` are the members RFC 6749 §5.2 defines.
 */
export function oauthError(code: OAuthErrorCode, description: string): AppError {
  return identityErrors[code](description, { error: code, error_description: description });
}
