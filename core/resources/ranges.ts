// Value::Ranges: sorted, disjoint, coalesced integer intervals (src/common/values.cpp).

/** Range is one closed interval [begin, end] of non-negative safe integers. */
export interface Range {
  readonly begin: number;
  readonly end: number;
}

/**
 * Ranges is a normalized interval list: sorted, non-overlapping and coalesced (adjacent ranges
 * merged, as Mesos's `coalesce` does), so equal sets of integers have equal Ranges. Bounds are
 * safe integers rather than Mesos's uint64: no real range resource (ports) comes close to 2^53.
 */
export type Ranges = readonly Range[] & { readonly __brand: 'Ranges' };

/** EMPTY_RANGES holds no integer. */
export const EMPTY_RANGES = Object.freeze([]) as unknown as Ranges;

/**
 * makeRanges normalizes any list of intervals; overlapping and adjacent intervals are merged.
 * Throws a RangeError when a bound is not a non-negative safe integer or begin > end.
 */
export function makeRanges(list: readonly Range[]): Ranges {
  for (const r of list) {
    for (const bound of [r.begin, r.end]) {
      if (!Number.isSafeInteger(bound) || bound < 0) {
        throw new RangeError(`range bound ${bound} is not a non-negative safe integer`);
      }
    }
    if (r.begin > r.end) throw new RangeError(`invalid range ${r.begin}-${r.end}: begin > end`);
  }
  return coalesce(list);
}

function coalesce(list: readonly Range[]): Ranges {
  const sorted = [...list].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last !== undefined && r.begin <= last.end + 1) {
      if (r.end > last.end) out[out.length - 1] = { begin: last.begin, end: r.end };
    } else {
      out.push({ begin: r.begin, end: r.end });
    }
  }
  return Object.freeze(out) as unknown as Ranges;
}

/** rangesAdd is the union of two range lists. */
export function rangesAdd(a: Ranges, b: Ranges): Ranges {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return coalesce([...a, ...b]);
}

/** rangesSubtract removes every integer of b from a; integers of b not in a are ignored. */
export function rangesSubtract(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b.length === 0) return a;
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let begin = r.begin;
    // Both lists are sorted and disjoint, so one forward walk over b suffices.
    while (j < b.length && (b[j]?.end ?? 0) < begin) j++;
    let k = j;
    while (k < b.length && begin <= r.end) {
      const cut = b[k] as Range;
      if (cut.begin > r.end) break;
      if (cut.begin > begin) out.push({ begin, end: cut.begin - 1 });
      begin = Math.max(begin, cut.end + 1);
      if (cut.end > r.end) break;
      k++;
    }
    if (begin <= r.end) out.push({ begin, end: r.end });
  }
  return Object.freeze(out) as unknown as Ranges;
}

/** rangesContains reports whether every integer of b is in a (b ⊆ a). */
export function rangesContains(a: Ranges, b: Ranges): boolean {
  let i = 0;
  for (const r of b) {
    while (i < a.length && (a[i]?.end ?? 0) < r.begin) i++;
    const outer = a[i];
    // Ranges are coalesced, so a covered interval lies inside a single interval of a.
    if (outer === undefined || outer.begin > r.begin || outer.end < r.end) return false;
  }
  return true;
}

/** rangesEqual reports whether two range lists hold the same integers. */
export function rangesEqual(a: Ranges, b: Ranges): boolean {
  return a.length === b.length && a.every((r, i) => r.begin === b[i]?.begin && r.end === b[i].end);
}

/** rangesSize counts the integers held (`[1-5]` holds 5), as Mesos quantities count them. */
export function rangesSize(a: Ranges): bigint {
  let n = 0n;
  for (const r of a) n += BigInt(r.end - r.begin + 1);
  return n;
}

/** formatRanges prints Mesos's form: `[31000-32000, 33000-33000]`. */
export function formatRanges(a: Ranges): string {
  return `[${a.map(r => `${r.begin}-${r.end}`).join(', ')}]`;
}

/** renderRanges prints the compact wire form: `31000-32000,33000`. */
export function renderRanges(a: Ranges): string {
  return a.map(r => (r.begin === r.end ? `${r.begin}` : `${r.begin}-${r.end}`)).join(',');
}
