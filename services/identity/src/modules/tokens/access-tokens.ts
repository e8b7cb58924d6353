import { API_AUDIENCE, type AccessTokenClaims } from '@only/contracts/auth';
import type { Clock } from '@only/platform/clock';
import { newId } from '@only/platform/ids';
import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKeys } from '../keys/keys.service.ts';

/** What an access token says about its subject. */
export interface AccessTokenSubject {
  /** User id (`usr_…`) or API client id (`cli_…`). */
  readonly subject: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  /** The OAuth client the token is issued to. */
  readonly clientId: string;
}

/** What an ID token says about a signed-in user (OpenID Connect). */
export interface IdTokenSubject {
  readonly subject: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly email?: { readonly email: string; readonly verified: boolean };
  readonly name?: string;
}

/**
 * Signs tokens with the active key: access tokens as RFC 9068 JWTs (`typ: at+jwt`, audience the
 * Only API) and OpenID Connect ID tokens (audience the client). Times come from the clock.
 */
export class TokenSigner {
  private readonly keys: SigningKeys;
  private readonly clock: Clock;
  readonly issuer: string;
  readonly accessTokenTtlSeconds: number;

  constructor(deps: { keys: SigningKeys; clock: Clock; issuer: string; accessTokenTtlSeconds: number }) {
    this.keys = deps.keys;
    this.clock = deps.clock;
    this.issuer = deps.issuer;
    this.accessTokenTtlSeconds = deps.accessTokenTtlSeconds;
  }

  async accessToken(subject: AccessTokenSubject): Promise<{ token: string; expiresIn: number }> {
    const key = await this.keys.signingKey();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessTokenClaims = {
      tid: subject.tenantId,
      roles: [...subject.roles],
      permissions: [...subject.permissions],
      client_id: subject.clientId,
    };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'at+jwt', kid: key.kid })
      .setIssuer(this.issuer)
      .setAudience(API_AUDIENCE)
      .setSubject(subject.subject)
      .setJti(newId('atk'))
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.accessTokenTtlSeconds)
      .sign(key.privateKey);
    return { token, expiresIn: this.accessTokenTtlSeconds };
  }

  async idToken(subject: IdTokenSubject): Promise<string> {
    const key = await this.keys.signingKey();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({
      tid: subject.tenantId,
      ...(subject.email === undefined
        ? {}
        : { email: subject.email.email, email_verified: subject.email.verified }),
      ...(subject.name === undefined ? {} : { name: subject.name }),
    })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', kid: key.kid })
      .setIssuer(this.issuer)
      .setAudience(subject.clientId)
      .setSubject(subject.subject)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.accessTokenTtlSeconds)
      .sign(key.privateKey);
  }
}
