// kube's bridge between client-side apply (the last-applied annotation) and server-side apply
// for the manager `kubectl`: fields the annotation still describes truthfully do not conflict, and
// an existing annotation is kept in step with what was server-side applied.
import type { KubeObject } from '../../../core/types/meta.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { canonicalJson, copyObject, deleteOwn, isJsonObject } from '../json-value.ts';
import { FieldSet } from './field-set.ts';
import { compareObjects, fieldSetOf } from './walk.ts';

/** LAST_APPLIED_ANNOTATION is where client-side `kubectl apply` keeps its last configuration. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** LAST_APPLIED_MANAGER is the only applier kube treats this way (`kubectl apply --server-side`). */
export const LAST_APPLIED_MANAGER = 'kubectl';

const annotationOf = (obj: unknown): string | undefined => {
  if (!isJsonObject(obj) || !isJsonObject(obj.metadata)) return undefined;
  const ann = obj.metadata.annotations;
  const v = isJsonObject(ann) ? ann[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/**
 * lastAppliedFields is kube's `allowedConflictsFromLastApplied`: the fields of the live object's
 * last-applied annotation whose values the live object still has. A `kubectl` apply may take
 * these from other managers without `force` (migrating from client-side apply).
 */
export function lastAppliedFields(live: KubeObject, schema: JSONSchemaProps): FieldSet {
  const raw = annotationOf(live);
  if (raw === undefined) return FieldSet.EMPTY;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return FieldSet.EMPTY;
  }
  const cmp = compareObjects(last, live, schema);
  return fieldSetOf(last, schema).difference(cmp.modified).difference(cmp.removed);
}

/**
 * syncLastApplied is kube's `lastAppliedUpdater`: when `kubectl` server-side applies to an object
 * that carries the annotation, the annotation becomes the applied configuration (without the
 * annotation itself, keys sorted, newline-terminated as Go's encoder writes it).
 */
export function syncLastApplied(result: KubeObject, applied: KubeObject): KubeObject {
  if (annotationOf(result) === undefined) return result;
  const config = copyObject(applied);
  const meta = copyObject(applied.metadata as Record<string, unknown>);
  if (isJsonObject(meta.annotations)) {
    const ann = copyObject(meta.annotations);
    deleteOwn(ann, LAST_APPLIED_ANNOTATION);
    meta.annotations = ann;
  }
  config.metadata = meta;
  const annotations = { ...result.metadata.annotations };
  annotations[LAST_APPLIED_ANNOTATION] = `${canonicalJson(config)}\n`;
  return { ...result, metadata: { ...result.metadata, annotations } };
}
