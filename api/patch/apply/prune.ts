// Removing field paths from an object (structured-merge-diff's RemoveItems), copying only the
// containers along each removed path so the input stays untouched.
import { copyObject, deleteOwn, isJsonObject, setOwn } from '../json-value.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import type { FieldPath } from './path.ts';
import { childSchema, itemElement, itemSchema, listKind, rootSchema } from './schema.ts';
import type { Schema } from './schema.ts';

/** removePaths drops each path (and everything under it) from `obj`; missing paths are ignored. */
export function removePaths(
  obj: unknown,
  paths: readonly FieldPath[],
  crdSchema: JSONSchemaProps,
): unknown {
  const root = rootSchema(crdSchema);
  return paths.reduce<unknown>((acc, p) => removeAt(acc, p, root), obj);
}

function removeAt(v: unknown, path: FieldPath, s: Schema): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return v;
  if (head.startsWith('f:')) {
    const name = head.slice(2);
    if (!isJsonObject(v) || !Object.hasOwn(v, name)) return v;
    const out = copyObject(v);
    if (rest.length === 0) deleteOwn(out, name);
    else setOwn(out, name, removeAt(v[name], rest, childSchema(s, name)));
    return out;
  }
  if (!Array.isArray(v)) return v;
  const kind = listKind(s);
  const at = v.findIndex((item, i) => itemElement(item, i, kind) === head);
  if (at < 0) return v;
  if (rest.length === 0) return v.filter((_, i) => i !== at);
  const out: unknown[] = [...(v as unknown[])];
  out[at] = removeAt(v[at], rest, itemSchema(s));
  return out;
}
