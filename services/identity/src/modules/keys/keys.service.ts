import type { Clock } from '@only/platform/clock';
import { inTransaction, type Database } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import type { Logger } from '@only/platform/log';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { SigningKeysRepository } from './keys.repository.ts';
import type { SigningKeyRow } from './keys.table.ts';

/** The one signature algorithm: Ed25519 (EdDSA), small keys and signatures, no parameters to get wrong. */
export const SIGNING_ALGORITHM = 'EdDSA';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of {@link SigningKeys}. */
export interface SigningKeysOptions {
  readonly db: Database;
  readonly repository: SigningKeysRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Lifetime of access tokens: an old key stays published at least this long after it stops signing. */
  readonly accessTokenTtlSeconds: number;
  /** Age after which the active key is replaced. */
  readonly rotationDays: number;
  /** How often to check whether the key is due for rotation. */
  readonly checkIntervalMs?: number;
  /**
   * How long a replica may keep signing with a key it cached after another replica replaced it;
   * the old key stays published that much longer too.
   */
  readonly cacheTtlMs?: number;
}

/** The key that signs now, ready to use. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/**
 * The signing keys of access tokens. One key signs at a time; `rotate` makes a new one active,
 * and the old one stays in the JWKS until every token it signed has expired. Keys are rotated
 * when the active one is older than `rotationDays` (checked at start and periodically), and the
 * first key is made on first use.
 */
export class SigningKeys {
  private readonly options: SigningKeysOptions;
  private readonly cacheTtlMs: number;
  private active: { key: Promise<ActiveSigningKey>; at: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: SigningKeysOptions) {
    this.options = options;
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
  }

  /** The key to sign with now (cached for a minute, so a rotation elsewhere is picked up soon). */
  signingKey(): Promise<ActiveSigningKey> {
    const now = Date.now();
    if (this.active === undefined || now - this.active.at > this.cacheTtlMs) {
      const key = this.loadActive();
      this.active = { key, at: now };
      key.catch(() => {
        this.active = undefined;
      });
    }
    return this.active.key;
  }

  /** The public keys of every key not yet retired: the JWKS verifiers use. */
  async jwks(): Promise<JSONWebKeySet> {
    const rows = await this.options.repository.findPublished(this.options.clock.now());
    return { keys: rows.map((row) => publicJwkOf(row)) };
  }

  /** Makes a new key the signing key; the previous one stops signing but stays published. */
  async rotate(): Promise<{ kid: string }> {
    const row = await inTransaction(this.options.db, async () => {
      await this.options.repository.lockRotation();
      return this.createKey();
    });
    this.active = undefined;
    this.options.logger.info({ kid: row.kid }, 'signing key rotated');
    return { kid: row.kid };
  }

  /**
   * Makes the first key if there is none, replaces the active key if it is older than
   * `rotationDays`, and deletes keys past retirement. Safe to run on every replica at once.
   */
  async rotateIfDue(): Promise<boolean> {
    const { repository, clock } = this.options;
    const rotated = await inTransaction(this.options.db, async () => {
      await repository.lockRotation();
      const active = await repository.findActive();
      const now = clock.now();
      if (active && now.getTime() - active.createdAt.getTime() < this.options.rotationDays * DAY_MS)
        return false;
      await this.createKey();
      return true;
    });
    const removed = await repository.deleteRetired(clock.now());
    if (removed > 0) this.options.logger.info({ removed }, 'retired signing keys deleted');
    if (rotated) this.active = undefined;
    return rotated;
  }

  /**
   * Checks now (resolving when done; a failure, e.g. a database not migrated yet, is logged), then
   * every `checkIntervalMs`.
   */
  async start(): Promise<void> {
    const check = () =>
      this.rotateIfDue().then(
        () => undefined,
        (error: unknown) => {
          this.options.logger.warn({ err: error }, 'signing key check failed');
        },
      );
    this.timer ??= setInterval(() => void check(), this.options.checkIntervalMs ?? 60 * 60 * 1000);
    this.timer.unref();
    await check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async loadActive(): Promise<ActiveSigningKey> {
    let row = await this.options.repository.findActive();
    if (!row) {
      // First use: make the first key (another replica may be doing the same; the lock decides).
      row = await inTransaction(this.options.db, async () => {
        await this.options.repository.lockRotation();
        return (await this.options.repository.findActive()) ?? (await this.createKey());
      });
    }
    const privateKey = await importJWK(row.privateJwk, SIGNING_ALGORITHM);
    if (privateKey instanceof Uint8Array) throw new Error('signing key is not an asymmetric key');
    return { kid: row.kid, privateKey };
  }

  /** Creates a key and makes it the only active one, in the open (locked) transaction. */
  private async createKey(): Promise<SigningKeyRow> {
    const { repository, clock, accessTokenTtlSeconds } = this.options;
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      crv: 'Ed25519',
      extractable: true,
    });
    const now = clock.now();
    const kid = newId('key');
    const row: SigningKeyRow = {
      kid,
      algorithm: SIGNING_ALGORITHM,
      publicJwk: await exportJWK(publicKey),
      privateJwk: await exportJWK(privateKey),
      createdAt: now,
      activeUntil: null,
      retireAfter: null,
    };
    await repository.insert(row);
    // Tokens signed just before now live for the token TTL; replicas that cached the old key may
    // sign with it for up to cacheTtlMs more. A minute of margin covers clock skew.
    const retireAfter = new Date(now.getTime() + accessTokenTtlSeconds * 1000 + this.cacheTtlMs + 60_000);
    await repository.deactivateOthers(kid, now, retireAfter);
    return row;
  }
}

/** The public half of a stored key, as published in the JWKS. */
function publicJwkOf(row: SigningKeyRow): JWK {
  return { ...row.publicJwk, kid: row.kid, alg: row.algorithm, use: 'sig' };
}
