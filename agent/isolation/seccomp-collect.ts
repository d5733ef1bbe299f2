// Issue collection for profile validation: each parser records what is wrong at its JSON path
// and carries on, so one pass reports every problem of a profile.
import type { SeccompIssue } from './seccomp-types.ts';

/** Obj is a parsed JSON object. */
export type Obj = Record<string, unknown>;

/** Collector gathers issues so one pass reports every problem, not just the first. */
export class Collector {
  readonly issues: SeccompIssue[] = [];
  readonly warnings: string[] = [];
  /** add records an issue and returns undefined, so a parser can `return c.add(...)`. */
  add(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }
}

/** isObj reports whether a JSON value is an object (not an array or null). */
export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** checkKeys reports every field of `o` not in `allowed` (besides `comment`). */
export function checkKeys(o: Obj, allowed: readonly string[], at: string, c: Collector): void {
  for (const k of Object.keys(o)) {
    // `comment` is documentation in Docker profiles, never behaviour.
    if (k === 'comment' || allowed.includes(k)) continue;
    c.add(join(at, k), `unknown or unsupported field (allowed: ${allowed.join(', ')})`);
  }
}

/** join appends a field to a JSON path. */
export function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

/** oneOf returns `x` when it is one of `list`, else records an issue. */
export function oneOf<T extends string>(
  list: readonly T[],
  x: unknown,
  at: string,
  c: Collector,
): T | undefined {
  if (typeof x === 'string' && (list as readonly string[]).includes(x)) return x as T;
  if (x === undefined) return c.add(at, `is required (one of ${list.join(', ')})`);
  return c.add(at, `unknown value ${JSON.stringify(x)} (want one of ${list.join(', ')})`);
}

/** uint returns `x` when it is an integer in [0, max], else records an issue. */
export function uint(x: unknown, max: number, at: string, c: Collector): number | undefined {
  if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= max) return x;
  return c.add(at, `must be an integer from 0 to ${max}, got ${JSON.stringify(x)}`);
}
