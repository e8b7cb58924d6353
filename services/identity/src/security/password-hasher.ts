import { argon2, randomBytes, timingSafeEqual, type Argon2Parameters } from 'node:crypto';

/** argon2id cost: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
export interface Argon2Cost {
  /** Memory in KiB. */
  readonly memory: number;
  readonly passes: number;
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: m=19456 (19 MiB), t=2, p=1. */
export const OWASP_ARGON2ID: Argon2Cost = { memory: 19_456, passes: 2, parallelism: 1 };

const SALT_BYTES = 16;
const TAG_BYTES = 32;
const VERSION = 19;
const PHC = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Runs argon2id on the libuv thread pool: hashing never blocks the event loop. */
function derive(password: string, salt: Buffer, cost: Argon2Cost, tagLength: number): Promise<Buffer> {
  const parameters: Argon2Parameters = {
    message: password,
    nonce: salt,
    parallelism: cost.parallelism,
    tagLength,
    memory: cost.memory,
    passes: cost.passes,
  };
  return new Promise((resolve, reject) => {
    argon2('argon2id', parameters, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

// PHC strings use standard base64 without padding.
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** A parsed PHC string. */
interface ParsedHash {
  readonly cost: Argon2Cost;
  readonly salt: Buffer;
  readonly tag: Buffer;
}

function parse(hash: string): ParsedHash | undefined {
  const match = PHC.exec(hash);
  if (!match) return undefined;
  const [, version, memory, passes, parallelism, salt, tag] = match;
  if (Number(version) !== VERSION) return undefined;
  return {
    cost: { memory: Number(memory), passes: Number(passes), parallelism: Number(parallelism) },
    salt: Buffer.from(salt ?? '', 'base64'),
    tag: Buffer.from(tag ?? '', 'base64'),
  };
}

/**
 * Password hashing with argon2id, stored as PHC strings
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so that the cost can be raised later and old
 * hashes still verify (and get rehashed at the next sign-in, see {@link needsRehash}).
 */
export class PasswordHasher {
  private readonly cost: Argon2Cost;
  private dummy: Promise<string> | undefined;

  constructor(cost: Argon2Cost = OWASP_ARGON2ID) {
    this.cost = cost;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const tag = await derive(password, salt, this.cost, TAG_BYTES);
    const { memory, passes, parallelism } = this.cost;
    return `$argon2id$v=${VERSION}$m=${memory},t=${passes},p=${parallelism}$${b64(salt)}$${b64(tag)}`;
  }

  /** Whether `password` matches `hash`; a malformed hash matches nothing. Constant-time compare. */
  async verify(password: string, hash: string): Promise<boolean> {
    const parsed = parse(hash);
    if (!parsed || parsed.tag.length === 0) return false;
    const tag = await derive(password, parsed.salt, parsed.cost, parsed.tag.length);
    return timingSafeEqual(tag, parsed.tag);
  }

  /**
   * Spends the time of one verification without a user to verify: sign-ins with an unknown email
   * cost what a wrong password costs, so response times do not tell which emails exist.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(password, await this.dummy);
    return false;
  }

  /** Whether `hash` was made with another cost than the current one. */
  needsRehash(hash: string): boolean {
    const parsed = parse(hash);
    if (!parsed) return true;
    const { memory, passes, parallelism } = parsed.cost;
    return (
      memory !== this.cost.memory ||
      passes !== this.cost.passes ||
      parallelism !== this.cost.parallelism ||
      parsed.tag.length !== TAG_BYTES
    );
  }

  /** The hash of a random password nobody knows: an account that cannot sign in with a password yet. */
  unusable(): Promise<string> {
    return this.hash(randomBytes(32).toString('base64url'));
  }
}
