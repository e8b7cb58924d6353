import { describe, expect, it } from 'vitest';
import type { Digest } from './canonical-row.ts';
import { searchDifferences, splitRange, type PositionRange } from './range-search.ts';

/**
 * Two sides over the same run of keys: `local[i]` and `remote[i]` are row hashes (remote null:
 * the key is missing there). The remote side counts what it is asked to read.
 */
function sides(size: number, change: (i: number) => bigint | null | undefined) {
  const local = Array.from({ length: size }, (_, i) => BigInt(i * 7919 + 13));
  const remote = local.map((hash, i) => {
    const changed = change(i);
    return changed === undefined ? hash : changed;
  });
  const digest = (values: readonly (bigint | null)[], range: PositionRange): Digest => {
    let count = 0;
    let sum = 0n;
    for (let i = range.from; i < range.to; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      count++;
      sum += value;
    }
    return { count, sum };
  };
  const reads = { keys: 0, calls: 0 };
  return {
    reads,
    local: (range: PositionRange) => digest(local, range),
    remote: (ranges: readonly PositionRange[]) => {
      reads.calls++;
      for (const range of ranges) reads.keys += range.to - range.from;
      return Promise.resolve(ranges.map((range) => digest(remote, range)));
    },
  };
}

const positions = (leaves: readonly PositionRange[]) =>
  leaves.flatMap((leaf) => Array.from({ length: leaf.to - leaf.from }, (_, i) => leaf.from + i));

describe('splitRange', () => {
  it('cuts a range into contiguous near-equal parts covering it exactly', () => {
    expect(splitRange({ from: 10, to: 20 }, 3)).toEqual([
      { from: 10, to: 13 },
      { from: 13, to: 16 },
      { from: 16, to: 20 },
    ]);
    expect(splitRange({ from: 0, to: 2 }, 16)).toEqual([
      { from: 0, to: 1 },
      { from: 1, to: 2 },
    ]);
  });
});

describe('searchDifferences', () => {
  it('one read of the whole run and nothing else when both sides agree', async () => {
    const s = sides(5000, () => undefined);
    const result = await searchDifferences({ size: 5000, leafSize: 8, fanout: 16, ...s });
    expect(result.leaves).toEqual([]);
    expect(result.roundTrips).toBe(1);
    expect(s.reads).toEqual({ keys: 5000, calls: 1 });
  });

  it('finds one changed row hidden among 100 000 by bisection, re-reading less than the run', async () => {
    const size = 100_000;
    const s = sides(size, (i) => (i === 61_803 ? 42n : undefined));
    const result = await searchDifferences({ size, leafSize: 1, fanout: 2, ...s });
    expect(positions(result.leaves)).toEqual([61_803]);
    // log2(100 000) ≈ 17 levels, one round trip each, plus the first read.
    expect(result.roundTrips).toBeLessThanOrEqual(Math.ceil(Math.log2(size)) + 1);
    // Each split asks for one half only: the re-read keys sum to less than the run.
    expect(result.keysReread).toBeLessThan(size);
    expect(s.reads.keys).toBe(size + result.keysReread);
  });

  it('with 16-way splits needs few round trips and returns small leaves around each difference', async () => {
    const size = 50_000;
    const changed = new Set([3, 4, 17_000, 49_999]);
    const s = sides(size, (i) => (changed.has(i) ? -1n : undefined));
    const result = await searchDifferences({ size, leafSize: 32, fanout: 16, ...s });
    const found = positions(result.leaves);
    for (const i of changed) expect(found).toContain(i);
    expect(found.length).toBeLessThanOrEqual(changed.size * 32);
    expect(result.roundTrips).toBeLessThanOrEqual(4);
    // The first split re-reads 15/16 of the run; below it only the parts holding a difference
    // (three regions) are split again, each 1/16 of its parent.
    expect(result.keysReread).toBeLessThanOrEqual((size * 15) / 16 + 3 * (size / 16));
  });

  it('finds keys missing on the remote side, and takes an empty remote range as a leaf at once', async () => {
    const size = 4096;
    const s = sides(size, (i) => (i === 100 || (i >= 2048 && i < 3072) ? null : undefined));
    const result = await searchDifferences({ size, leafSize: 4, fanout: 2, ...s });
    const found = positions(result.leaves);
    expect(found).toContain(100);
    for (let i = 2048; i < 3072; i++) expect(found).toContain(i);
    // The empty half-block came back whole, not split down to leaves of 4.
    expect(result.leaves).toContainEqual({ from: 2048, to: 3072 });
  });

  it('sees a swap of two rows’ contents (hashes are bound to keys by the caller) as two leaves', async () => {
    const size = 1000;
    const s = sides(size, (i) => (i === 10 ? 5n : i === 900 ? 3n : undefined));
    const result = await searchDifferences({ size, leafSize: 1, fanout: 4, ...s });
    expect(positions(result.leaves)).toEqual([10, 900]);
  });

  it('refuses a fanout below 2 and a leaf size below 1', async () => {
    const s = sides(10, () => undefined);
    await expect(searchDifferences({ size: 10, leafSize: 1, fanout: 1, ...s })).rejects.toThrow('fanout');
    await expect(searchDifferences({ size: 10, leafSize: 0, fanout: 2, ...s })).rejects.toThrow('leafSize');
  });
});
