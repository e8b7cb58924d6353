/** A demo user's credentials, as the password grant takes them. */
export interface PasswordCredentials {
  /** Tenant slug. */
  readonly tenant: string;
  readonly username: string;
  readonly password: string;
}

/** The demo owner of the first demo tenant (seeded by `npm start` and `only seed`). */
export const DEMO_OWNER: PasswordCredentials = {
  tenant: 'acme',
  username: 'owner@acme.example',
  password: 'only-demo-owner',
};

/**
 * Logs in through a running platform with the OAuth2 password grant of the first-party web app
 * and returns the access token.
 */
export async function passwordLogin(
  gatewayUrl: string,
  credentials: PasswordCredentials = DEMO_OWNER,
): Promise<string> {
  const response = await fetch(`${gatewayUrl.replace(/\/$/, '')}/api/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'only-web', ...credentials }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  if (!response.ok || typeof body.access_token !== 'string')
    throw new Error(
      `login as ${credentials.username} failed: ${String(response.status)} ${JSON.stringify(body)}`,
    );
  return body.access_token;
}
