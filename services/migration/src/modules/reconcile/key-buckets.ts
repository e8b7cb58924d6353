// Extra rows are keys Only holds that no source page asked about, so no page checksum can see
// them. Their number is known (stage 1's keyed Only rows minus the keys the pages found in Only).
// To locate them without keeping every source key, the keys are summed into 2^bits buckets by key
// hash on both sides: Only's in the same GROUP BY as stage 1's counts and sums (one scan), the
// source's during the pass (count and hash sum: 12 bytes a bucket), less the keys the pages found
// missing. Only the buckets that differ are looked into afterwards.
import { keyFingerprint, type Digest } from './canonical-row.ts';

/** Bucket width for about `rows` keys: some 16 keys a bucket, 2…2^16 buckets. */
export function bucketBitsFor(rows: number): number {
  return Math.min(16, Math.max(1, Math.ceil(Math.log2(Math.max(1, rows) / 16))));
}

/** Per-bucket count and key-hash sum (mod 2^64) of a set of legacy keys. */
export class KeyBuckets {
  readonly bits: number;
  private readonly counts: Int32Array;
  private readonly sums: BigInt64Array;

  constructor(bits: number) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 24) throw new RangeError('bits must be 1…24');
    this.bits = bits;
    this.counts = new Int32Array(2 ** bits);
    this.sums = new BigInt64Array(2 ** bits);
  }

  /** The bucket of a key. */
  bucketOf(legacyKey: string): number {
    return keyFingerprint(legacyKey).top32 >>> (32 - this.bits);
  }

  add(legacyKey: string): void {
    this.change(legacyKey, 1);
  }

  remove(legacyKey: string): void {
    this.change(legacyKey, -1);
  }

  private change(legacyKey: string, sign: 1 | -1): void {
    const { hash, top32 } = keyFingerprint(legacyKey);
    const bucket = top32 >>> (32 - this.bits);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + sign;
    // A BigInt64Array stores modulo 2^64 (PostgreSQL's numeric sum does not wrap: compare mod 2^64).
    this.sums[bucket] = (this.sums[bucket] ?? 0n) + (sign === 1 ? hash : -hash);
  }

  digest(bucket: number): Digest {
    return { count: this.counts[bucket] ?? 0, sum: this.sums[bucket] ?? 0n };
  }

  /**
   * Buckets where `other` (Only) has more keys than these, with what it has beyond them: count and
   * hash sum (mod 2^64) of the surplus keys.
   */
  surplusOf(other: ReadonlyMap<number, Digest>): { bucket: number; count: number; sum: bigint }[] {
    const out: { bucket: number; count: number; sum: bigint }[] = [];
    for (const [bucket, digest] of other) {
      const mine = this.digest(bucket);
      const count = digest.count - mine.count;
      if (count > 0) out.push({ bucket, count, sum: BigInt.asIntN(64, digest.sum - mine.sum) });
    }
    return out.sort((a, b) => a.bucket - b.bucket);
  }
}
