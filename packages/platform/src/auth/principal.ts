import type { Actor } from '../context/index.ts';

/** Who a verified access token speaks for. */
export interface Principal {
  /** The tenant every read and write of the request is scoped to. */
  readonly tenantId: string;
  /** User id (`usr_…`) or, for machines, API client id (`cli_…`); for external providers, their subject. */
  readonly subject: string;
  readonly kind: 'user' | 'client';
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<string>;
  /** The OAuth2 client the token was issued to, when the token says. */
  readonly clientId: string | undefined;
  /** The token's `jti`, when it has one. */
  readonly tokenId: string | undefined;
  readonly expiresAt: Date;
}

/** The actor a principal acts as, for histories and audit. */
export function actorOf(principal: Principal): Actor {
  return { type: principal.kind, id: principal.subject };
}
