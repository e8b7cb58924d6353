// Stage 2's search: given a run of keys held by the local side, find the sub-ranges where the remote
// side differs, comparing checksums instead of rows. A differing range is split into `fanout`
// parts (2 = bisection) and only the parts that differ are split again, down to `leafSize` keys;
// those leaves are then compared row by row. Checksums are sums, so the last part's remote digest
// is its parent's minus its siblings': each split re-reads (fanout − 1) / fanout of the range.
import { sameDigest, type Digest } from './canonical-row.ts';

/** Keys `from` (inclusive) to `to` (exclusive), by position in the local run. */
export interface PositionRange {
  readonly from: number;
  readonly to: number;
}

/** Options of {@link searchDifferences}. */
export interface RangeSearch {
  /** Keys in the run. */
  readonly size: number;
  /** Ranges of at most this many keys are compared row by row rather than split. */
  readonly leafSize: number;
  /** Parts a differing range is split into. */
  readonly fanout: number;
  /** The local side's digest of a range (in memory: cheap). */
  local(range: PositionRange): Digest;
  /** The remote side's digests of several ranges, in one round trip. */
  remote(ranges: readonly PositionRange[]): Promise<readonly Digest[]>;
}

/** Outcome of {@link searchDifferences}. */
export interface RangeSearchResult {
  /** The remote digest of the whole run. */
  readonly whole: Digest;
  /** Ranges to compare row by row, in position order. */
  readonly leaves: readonly PositionRange[];
  /** Remote round trips, the first (whole run) included. */
  readonly roundTrips: number;
  /** Ranges whose digests were compared, the whole run included. */
  readonly rangesCompared: number;
  /** Keys the remote side read again for splits (the whole run's first read not counted). */
  readonly keysReread: number;
}

const sizeOf = (range: PositionRange) => range.to - range.from;

/** `range` cut into at most `parts` contiguous, non-empty, near-equal parts. */
export function splitRange(range: PositionRange, parts: number): PositionRange[] {
  const size = sizeOf(range);
  const count = Math.max(1, Math.min(parts, size));
  const out: PositionRange[] = [];
  for (let i = 0; i < count; i++) {
    const from = range.from + Math.floor((size * i) / count);
    const to = range.from + Math.floor((size * (i + 1)) / count);
    out.push({ from, to });
  }
  return out;
}

/**
 * Finds the leaf ranges where local and remote differ. A range whose remote side is empty is a
 * leaf at once (every key in it is missing there: nothing to narrow down). Ranges at one depth are
 * checked in one round trip together.
 */
export async function searchDifferences(search: RangeSearch): Promise<RangeSearchResult> {
  if (!Number.isInteger(search.fanout) || search.fanout < 2) throw new RangeError('fanout must be ≥ 2');
  if (!Number.isInteger(search.leafSize) || search.leafSize < 1) throw new RangeError('leafSize must be ≥ 1');
  const all: PositionRange = { from: 0, to: search.size };
  if (search.size === 0) {
    return { whole: { count: 0, sum: 0n }, leaves: [], roundTrips: 0, rangesCompared: 0, keysReread: 0 };
  }
  const [whole] = await search.remote([all]);
  if (whole === undefined) throw new Error('the remote side returned no digest');
  let roundTrips = 1;
  let rangesCompared = 1;
  let keysReread = 0;
  const leaves: PositionRange[] = [];
  let differing: { range: PositionRange; remote: Digest }[] = sameDigest(search.local(all), whole)
    ? []
    : [{ range: all, remote: whole }];
  while (differing.length > 0) {
    const toSplit: { parts: PositionRange[]; remote: Digest }[] = [];
    for (const { range, remote } of differing) {
      if (remote.count === 0 || sizeOf(range) <= search.leafSize) leaves.push(range);
      else toSplit.push({ parts: splitRange(range, search.fanout), remote });
    }
    if (toSplit.length === 0) break;
    // Every part but the last of each range is asked for; the last is what remains of the parent.
    const asked = toSplit.flatMap(({ parts }) => parts.slice(0, -1));
    const answers = await search.remote(asked);
    roundTrips++;
    keysReread += asked.reduce((n, range) => n + sizeOf(range), 0);
    let next = 0;
    differing = [];
    for (const { parts, remote } of toSplit) {
      let count = remote.count;
      let sum = remote.sum;
      const digests: Digest[] = [];
      for (let i = 0; i < parts.length - 1; i++) {
        const digest = answers[next++];
        if (digest === undefined) throw new Error('the remote side returned too few digests');
        digests.push(digest);
        count -= digest.count;
        sum -= digest.sum;
      }
      digests.push({ count, sum });
      parts.forEach((part, i) => {
        const remoteDigest = digests[i] ?? { count: 0, sum: 0n };
        rangesCompared++;
        if (!sameDigest(search.local(part), remoteDigest))
          differing.push({ range: part, remote: remoteDigest });
      });
    }
  }
  leaves.sort((a, b) => a.from - b.from);
  return { whole, leaves, roundTrips, rangesCompared, keysReread };
}
