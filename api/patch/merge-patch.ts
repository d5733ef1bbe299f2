import { cloneJson, copyObject, deleteOwn, isJsonObject, setOwn } from './json-value.ts';

/**
 * mergePatch applies an RFC 7386 JSON merge patch: an object patch merges member by member
 * (`null` deletes the member, objects recurse), anything else replaces the target outright.
 * Neither input is mutated and the result shares no container with the patch.
 *
 * kube answers 400 `Invalid JSON Patch` for a merge-patch body that is JSON `null`; that check is
 * the handler's, since here `null` is a legal (replacing) patch value.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out = isJsonObject(target) ? copyObject(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) deleteOwn(out, k);
    else setOwn(out, k, mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
