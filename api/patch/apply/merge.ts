// Merging an applied configuration into the live object (structured-merge-diff's Merge): granular
// maps merge member by member, atomic values are replaced, set lists are unioned and map lists are
// merged item by item on their key fields. Inputs are never mutated.
import { cloneJson, copyObject, isJsonObject, setOwn } from '../json-value.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import type { PathElement } from './path.ts';
import {
  childSchema,
  isAtomicMap,
  itemElement,
  itemSchema,
  listKind,
  rootSchema,
} from './schema.ts';
import type { ListKind, Schema } from './schema.ts';

/** mergeApplied merges `config` over `live` (undefined when creating) under the CRD schema. */
export function mergeApplied(live: unknown, config: unknown, crdSchema: JSONSchemaProps): unknown {
  return mergeValue(live, config, rootSchema(crdSchema));
}

function mergeValue(live: unknown, config: unknown, s: Schema): unknown {
  if (isJsonObject(config)) {
    if (!isJsonObject(live) || isAtomicMap(s)) return cloneJson(config);
    const out = copyObject(live);
    for (const [k, v] of Object.entries(config)) {
      const old = Object.hasOwn(live, k) ? live[k] : undefined;
      setOwn(out, k, mergeValue(old, v, childSchema(s, k)));
    }
    return out;
  }
  const kind = listKind(s);
  if (Array.isArray(config) && Array.isArray(live) && kind.type !== 'atomic') {
    return mergeList(live, config, kind, itemSchema(s));
  }
  return cloneJson(config);
}

/**
 * mergeList keeps live-only items where they are, puts shared items in the applier's order into
 * the shared slots, and places each new item just before the next shared item that follows it in
 * the applied list (or at the end) — the ordering structured-merge-diff produces in the common
 * cases, so an applier controls the relative order of the items it applies.
 */
function mergeList(
  live: readonly unknown[],
  config: readonly unknown[],
  kind: ListKind,
  items: Schema,
): unknown[] {
  const liveByKey = new Map<PathElement, unknown>();
  live.forEach((x, i) => {
    const k = itemElement(x, i, kind);
    if (!liveByKey.has(k)) liveByKey.set(k, x);
  });
  // Walk the applied list once: group new items in front of the shared item they precede.
  const shared: { key: PathElement; value: unknown; before: unknown[] }[] = [];
  const seen = new Set<PathElement>();
  let pending: unknown[] = [];
  config.forEach((x, i) => {
    const k = itemElement(x, i, kind);
    if (seen.has(k)) return;
    seen.add(k);
    if (liveByKey.has(k)) {
      shared.push({ key: k, value: mergeValue(liveByKey.get(k), x, items), before: pending });
      pending = [];
    } else pending.push(cloneJson(x));
  });
  const out: unknown[] = [];
  let next = 0;
  const emitted = new Set<PathElement>();
  live.forEach((x, i) => {
    const k = itemElement(x, i, kind);
    if (emitted.has(k)) return;
    emitted.add(k);
    if (!seen.has(k)) {
      out.push(x);
      return;
    }
    const slot = shared[next++];
    if (slot !== undefined) out.push(...slot.before, slot.value);
  });
  out.push(...pending);
  return out;
}
