// A small seeded random source. Mesos shuffles agents every cycle (std::random_shuffle) so no
// agent is always first; a seed makes a cycle reproducible in tests and benchmarks.

/** Random returns a uniform number in [0, 1). */
export type Random = () => number;

/**
 * seededRandom is mulberry32: fast, 32-bit state, good enough to shuffle agents and order
 * resource shrinking (not for anything secret).
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** shuffle reorders an array in place (Fisher–Yates) and returns it. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}
