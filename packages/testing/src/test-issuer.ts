import { API_AUDIENCE, BUILT_IN_ROLES, isBuiltInRole } from '@only/contracts/auth';
import { createTokenVerifier, localKeySource, type TokenVerifier } from '@only/platform/auth';
import { newId } from '@only/platform/ids';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** What a test token says; anything left out gets a sensible default. */
export interface TestTokenClaims {
  readonly tenantId: string;
  /** Defaults to a fresh user id. */
  readonly subject?: string;
  /** Defaults to `['owner']`. */
  readonly roles?: readonly string[];
  /** Defaults to the permissions of the built-in `roles`. */
  readonly permissions?: readonly string[];
  /** Seconds until expiry; negative for an expired token. Defaults to 900. */
  readonly expiresInSeconds?: number;
  readonly audience?: string;
  readonly issuer?: string;
}

/**
 * An access-token issuer for tests of services: signs tokens like the identity service does
 * (EdDSA, `typ: at+jwt`, Only's claims) and gives the verifier that trusts it. Lets service
 * suites run without the identity service while exercising the real verification path.
 */
export class TestIssuer {
  static readonly ISSUER = 'http://only.test/api/identity';

  private readonly privateKey: CryptoKey;
  private readonly publicJwk: JWK;
  readonly keyId: string;

  private constructor(privateKey: CryptoKey, publicJwk: JWK, keyId: string) {
    this.privateKey = privateKey;
    this.publicJwk = publicJwk;
    this.keyId = keyId;
  }

  static async create(): Promise<TestIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const keyId = `test-${newId('key').slice(4, 16)}`;
    return new TestIssuer(
      privateKey,
      { ...(await exportJWK(publicKey)), kid: keyId, alg: 'EdDSA', use: 'sig' },
      keyId,
    );
  }

  /** The verifier a service under test uses: trusts this issuer's key only. */
  verifier(options: { cacheSize?: number } = {}): TokenVerifier {
    return createTokenVerifier({
      keys: localKeySource(() => Promise.resolve({ keys: [this.publicJwk] })),
      issuer: TestIssuer.ISSUER,
      audience: API_AUDIENCE,
      ...options,
    });
  }

  /** A signed access token. */
  async token(claims: TestTokenClaims): Promise<string> {
    const roles = claims.roles ?? ['owner'];
    const permissions =
      claims.permissions ??
      roles.flatMap((r) => (isBuiltInRole(r) ? [...BUILT_IN_ROLES[r].permissions] : []));
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: claims.tenantId, roles: [...roles], permissions, client_id: 'only-test' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: this.keyId })
      .setIssuer(claims.issuer ?? TestIssuer.ISSUER)
      .setAudience(claims.audience ?? API_AUDIENCE)
      .setSubject(claims.subject ?? newId('usr'))
      .setJti(newId('tok'))
      .setIssuedAt(now)
      .setExpirationTime(now + (claims.expiresInSeconds ?? 900))
      .sign(this.privateKey);
  }

  /** `{ authorization: 'Bearer …' }` for a request. */
  async headers(claims: TestTokenClaims): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.token(claims)}` };
  }
}
