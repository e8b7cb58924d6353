import { oauthError } from '../../errors.ts';

/** How a client identified itself at the token or revocation endpoint (RFC 6749 §2.3). */
export interface ClientCredentials {
  readonly id: string | undefined;
  readonly secret: string | undefined;
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i;

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * The client credentials of a request: HTTP Basic (`client_secret_basic`, id and secret
 * form-encoded as RFC 6749 §2.3.1 says), or `client_id`/`client_secret` in the body
 * (`client_secret_post`), or a bare `client_id` (`none`, public clients). Using two methods at
 * once is an `invalid_request`.
 */
export function clientCredentialsOf(
  authorization: string | undefined,
  body: { client_id?: string | undefined; client_secret?: string | undefined },
): ClientCredentials {
  if (authorization !== undefined && /^basic\b/i.test(authorization)) {
    const encoded = BASIC.exec(authorization)?.[1];
    const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw oauthError('invalid_client', 'The Basic credentials are malformed.');
    if (body.client_secret !== undefined) {
      throw oauthError('invalid_request', 'Send the client secret in one place only: Basic or the body.');
    }
    let id: string;
    let secret: string;
    try {
      id = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw oauthError('invalid_client', 'The Basic credentials are malformed.');
    }
    if (body.client_id !== undefined && body.client_id !== id) {
      throw oauthError('invalid_request', 'client_id differs from the client of the Basic credentials.');
    }
    return { id, secret, method: 'client_secret_basic' };
  }
  if (body.client_secret !== undefined) {
    return { id: body.client_id, secret: body.client_secret, method: 'client_secret_post' };
  }
  return { id: body.client_id, secret: undefined, method: 'none' };
}
