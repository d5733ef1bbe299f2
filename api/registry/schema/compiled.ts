// Per-schema caches for the costly parts of validation (regexps, enum lookups). Validation runs
// on every write, and a CRD's schema object lives as long as the CRD is served, so WeakMaps keyed
// by the schema node compile each once and let them go with the schema.
import type { JSONSchemaProps } from '../crd-types.ts';
import { canonicalJson } from './json.ts';
import { re2ToEcma } from './re2.ts';

/**
 * compilePattern compiles a schema `pattern` as an ECMAScript RegExp with the `u` flag, or
 * returns the syntax error's message. kube compiles patterns with Go's RE2; re2ToEcma rewrites
 * the RE2-only syntax CRDs commonly use (leading `(?i)`, `\A`, `\z`, `(?P<name>`, `[[:alpha:]]`,
 * escaped plain punctuation such as `\_`). The languages still differ at the edges: RE2 has no
 * lookaround or backreferences (accepted here, rejected by kube) and ECMAScript lacks some RE2
 * classes (`\pN` needs braces here).
 */
export function compilePattern(pattern: string): RegExp | string {
  const { source, flags } = re2ToEcma(pattern);
  try {
    return new RegExp(source, `u${flags}`);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const patterns = new WeakMap<JSONSchemaProps, RegExp | null>();

/** patternOf is s.pattern compiled once; null when s has no pattern or it does not compile. */
export function patternOf(s: JSONSchemaProps): RegExp | null {
  let re = patterns.get(s);
  if (re === undefined) {
    const compiled = s.pattern === undefined ? null : compilePattern(s.pattern);
    re = compiled instanceof RegExp ? compiled : null;
    patterns.set(s, re);
  }
  return re;
}

const enums = new WeakMap<JSONSchemaProps, Set<string>>();

/** enumAllows tells whether v is one of s.enum (deep equality; true when s has no enum). */
export function enumAllows(s: JSONSchemaProps, v: unknown): boolean {
  if (s.enum === undefined) return true;
  let set = enums.get(s);
  if (set === undefined) {
    set = new Set(s.enum.map(canonicalJson));
    enums.set(s, set);
  }
  return set.has(canonicalJson(v));
}
