/**
 * deepFreeze freezes an object graph in place (acyclic, as JSON values and parsed resources are)
 * and returns it. It descends into frozen containers too: a frozen array may still hold values
 * that are not (makeRanges freezes only its array), and telling a frozen container whose values
 * are all frozen or primitive apart from one that is not takes the same walk over its values.
 *
 * Every informer upsert freezes a whole parsed object, so the walk allocates nothing: an index
 * loop over arrays, for...in over objects (no Object.values array per node), and primitives are
 * not recursed into. for...in visits inherited enumerable properties too, which JSON values and
 * object literals do not have; it only ever freezes more than Object.values would, never less.
 */
export function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value;
  freezeNode(value);
  return value;
}

function freezeNode(node: object): void {
  Object.freeze(node);
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      if (typeof v === 'object' && v !== null) freezeNode(v);
    }
    return;
  }
  const rec = node as Record<string, unknown>;
  for (const k in rec) {
    const v = rec[k];
    if (typeof v === 'object' && v !== null) freezeNode(v);
  }
}
