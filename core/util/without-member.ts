/**
 * withoutMember is a copy of a plain object without one member, the others in the same order.
 * It copies them one by one rather than spreading and deleting: a deleted member can leave an
 * object in V8's slow dictionary mode, and these copies (an object's metadata without
 * managedFields or resourceVersion) are kept in caches and stringified often.
 */
export function withoutMember<T extends object>(obj: T, member: string): T {
  const out: Record<string, unknown> = {};
  const from = obj as Record<string, unknown>;
  for (const k of Object.keys(from)) if (k !== member) out[k] = from[k];
  return out as T;
}
