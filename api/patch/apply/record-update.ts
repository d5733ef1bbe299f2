import type { KubeObject, ManagedFieldsEntry } from '../../../core/types/meta.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { FieldSet } from './field-set.ts';
import { creatorFieldsV1 } from './field-trie.ts';
import {
  capUpdateManagers,
  decodeManagers,
  encodeManagers,
  managerId,
  withoutEmpty,
} from './managers.ts';
import type { ManagerFields } from './managers.ts';
import { editStoredEntries } from './update-entries.ts';
import { compareObjects } from './walk.ts';

/** UpdateOptions describes one non-apply write (POST, PUT, merge or JSON PATCH). */
export interface UpdateOptions {
  /** The stored object, or undefined for a create. */
  readonly before: KubeObject | undefined;
  /** The object about to be stored, as the client's write left it (managedFields included). */
  readonly after: KubeObject;
  readonly schema: JSONSchemaProps;
  /** The `fieldManager` query parameter, or defaultManager(User-Agent). */
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource?: string;
  /** RFC 3339 time written into this manager's entry when the write changes fields. */
  readonly now: string;
}

/**
 * recordUpdate computes the managedFields to store after a non-apply write, as kube's fieldmanager
 * does for an `Update` operation:
 * 1. start from the managedFields the client sent when it sent a non-empty, well-formed list on the
 *    main resource (kubectl's csa→ssa migration rewrites the list this way; `[{}]` resets it), else
 *    from the stored object's. An explicit `managedFields: []` counts as not sent, on purpose: kube
 *    protects objects from clients that do not know the field;
 * 2. an update of an object that has no managedFields stays untracked (until the next apply);
 * 3. every manager loses the fields this write changed or removed; this manager's Update entry
 *    gains the changed fields and its time becomes `now`.
 * The result is the list to store; empty means the object carries no managedFields.
 */
export function recordUpdate(opts: UpdateOptions): ManagedFieldsEntry[] {
  const { before } = opts;
  // an update of managedFields as encodeManagers leaves them is edited in place (update-entries.ts)
  if (before !== undefined) {
    const edited = editStoredEntries({ ...opts, before });
    if (edited !== undefined) return edited;
  }
  return recordUpdateByDecoding(opts);
}

/**
 * recordUpdateByDecoding is recordUpdate's general path: every list decoded into field sets, the
 * steps done as set algebra, the result encoded. It normalises any well-formed list; the edit of
 * update-entries.ts must give what it gives.
 */
export function recordUpdateByDecoding(opts: UpdateOptions): ManagedFieldsEntry[] {
  const { before, after, schema } = opts;
  const supplied = opts.subresource === undefined ? suppliedManagers(after) : undefined;
  if (before === undefined && supplied === undefined) return creatorEntry(opts);
  const managers = supplied ?? decodeManagers(before?.metadata.managedFields) ?? [];
  if (managers.length === 0 && before !== undefined) return [];

  const cmp = compareObjects(before, after, schema);
  const changed = cmp.added.union(cmp.modified);
  const next: ManagerFields[] = managers.map(m => ({
    ...m,
    set: m.set.difference(changed).difference(cmp.removed),
  }));
  if (!changed.isEmpty()) {
    const self = {
      manager: opts.manager,
      operation: 'Update' as const,
      apiVersion: opts.apiVersion,
      ...(opts.subresource === undefined || opts.subresource === ''
        ? {}
        : { subresource: opts.subresource }),
    };
    const id = managerId(self);
    const at = next.findIndex(m => managerId(m) === id);
    const entry = {
      ...self,
      time: opts.now,
      set: (next[at]?.set ?? FieldSet.EMPTY).union(changed),
    };
    if (at >= 0) next[at] = entry;
    else next.push(entry);
  }
  return encodeManagers(capUpdateManagers(withoutEmpty(next)));
}

/**
 * creatorEntry is what recordUpdate's steps give for a create that carries no managedFields of its
 * own: there are no other managers and every field is "added", so the list is this manager's
 * single Update entry owning every field of the object (none when it sets no field). Its fieldsV1
 * is built straight from one walk (field-trie.ts), skipping the general path's path arrays, set
 * algebra, sorting and re-keying, and is shared (frozen) by every object of the same shape.
 */
function creatorEntry(opts: UpdateOptions): ManagedFieldsEntry[] {
  const fieldsV1 = creatorFieldsV1(opts.after, opts.schema);
  if (fieldsV1 === undefined) return [];
  const subresource =
    opts.subresource === undefined || opts.subresource === '' ? undefined : opts.subresource;
  return [
    {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: opts.now,
      fieldsType: 'FieldsV1',
      fieldsV1,
      ...(subresource === undefined ? {} : { subresource }),
    },
  ];
}

function suppliedManagers(after: KubeObject): ManagerFields[] | undefined {
  const list: unknown = after.metadata.managedFields;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return decodeManagers(list);
}
