/**
 * stripStrategicDirectives removes strategic-merge-patch directives (`$patch`, `$retainKeys`,
 * `$setElementOrder/...`, `$deleteFromPrimitiveList/...`) so the rest can be applied as a JSON
 * merge patch. kubectl sends strategic patches only for its compiled-in kinds (Namespace, Lease),
 * whose patches here only touch maps (labels, annotations, spec scalars), where the two agree.
 */
export function stripStrategicDirectives(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(stripStrategicDirectives);
  if (typeof patch !== 'object' || patch === null) return patch;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    out[k] = stripStrategicDirectives(v);
  }
  return out;
}
