/**
 * deepFreeze freezes an object graph in place (acyclic, as JSON values and parsed resources are)
 * and returns it. It descends into frozen containers too: a frozen array may still hold values
 * that are not (makeRanges freezes only its array).
 */
export function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
