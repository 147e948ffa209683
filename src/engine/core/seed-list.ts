/**
 * Seed lists as people write them, one grammar for every command that takes seeds: "A..B"
 * (inclusive, upwards), "A", or "A,B,C" — distinct integers from 0 to 2^32 − 1.
 */

/** The largest seed: seeds are unsigned 32-bit integers (the simulator's Rng is seeded with them). */
export const MAX_SEED = 0xffffffff;

/** Parses `text` (see the module comment) into its seeds in order; throws naming `flag` otherwise. */
export function parseSeedList(text: string, options: { readonly flag?: string; readonly maxSeeds?: number } = {}): number[] {
  const flag = options.flag ?? '--seeds';
  const maxSeeds = options.maxSeeds ?? 100_000;
  const t = text.trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(t);
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new Error(`${flag} must run upwards, received "${text}"`);
    if (b - a >= maxSeeds) throw new Error(`${flag} may span at most ${maxSeeds} seeds, received "${text}"`);
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else if (/^\d+(,\d+)*$/.test(t)) {
    seeds = t.split(',').map(Number);
    if (seeds.length > maxSeeds) throw new Error(`${flag} may list at most ${maxSeeds} seeds, received ${seeds.length}`);
  } else {
    throw new Error(`${flag} must be "A..B", "A" or "A,B,C" with non-negative integers, received "${text}"`);
  }
  if (seeds.some((s) => !Number.isSafeInteger(s) || s > MAX_SEED)) throw new Error(`seeds must be integers from 0 to ${MAX_SEED}, received "${text}"`);
  if (new Set(seeds).size !== seeds.length) throw new Error(`${flag} must not repeat a seed, received "${text}"`);
  return seeds;
}

/** Seeds for a report's heading: "1, 2, 3" for a few, "1..200 (200)" for more than six. */
export function describeSeeds(seeds: readonly number[]): string {
  return seeds.length > 6 ? `${seeds[0]}..${seeds[seeds.length - 1]} (${seeds.length})` : seeds.join(', ');
}

/** Seeds `from` to `to`, inclusive. */
export function seedRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
