import type { KubeObject, ManagedFieldsEntry } from '../../../core/types/meta.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import type { JsonObject } from '../json-value.ts';
import { FieldSet } from './field-set.ts';
import {
  capUpdateManagers,
  decodeManagers,
  encodeManagers,
  managerId,
  withoutEmpty,
} from './managers.ts';
import type { ManagerFields } from './managers.ts';
import { compareObjects, walkFields } from './walk.ts';

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
 * single Update entry owning every field of the object (none when it sets no field). It is built
 * straight from the walk as a fieldsV1 trie, skipping the general path's set algebra, sorting and
 * re-keying, which cost about 14 µs of the ~95 µs a create spends in the server's own pipeline
 * (this roughly halves it).
 */
function creatorEntry(opts: UpdateOptions): ManagedFieldsEntry[] {
  const nodes = walkFields(opts.after, opts.schema);
  if (nodes.size === 0) return [];
  const root: Trie = new Map();
  for (const { path } of nodes.values()) {
    let level = root;
    let node: TrieNode | undefined;
    for (const e of path) {
      node = level.get(e);
      if (node === undefined) {
        node = { member: false, children: new Map() };
        level.set(e, node);
      }
      level = node.children;
    }
    if (node !== undefined) node.member = true;
  }
  const subresource =
    opts.subresource === undefined || opts.subresource === '' ? undefined : opts.subresource;
  return [
    {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: opts.now,
      fieldsType: 'FieldsV1',
      fieldsV1: renderTrie(root, false),
      ...(subresource === undefined ? {} : { subresource }),
    },
  ];
}

interface TrieNode {
  member: boolean;
  readonly children: Trie;
}
type Trie = Map<string, TrieNode>;

// renderTrie spells a trie as toFieldsV1 does: `.` first on a member that has children, then the
// children in sorted key order.
function renderTrie(children: Trie, member: boolean): JsonObject {
  const out: JsonObject = {};
  if (member && children.size > 0) out['.'] = {};
  for (const k of [...children.keys()].sort()) {
    const child = children.get(k) as TrieNode;
    out[k] = renderTrie(child.children, child.member);
  }
  return out;
}

function suppliedManagers(after: KubeObject): ManagerFields[] | undefined {
  const list: unknown = after.metadata.managedFields;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return decodeManagers(list);
}
