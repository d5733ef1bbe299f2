// recordUpdate's step 3 (every manager loses the fields a write changed or removed, the writer
// gains the changed ones) done on managedFields as stored, editing each fieldsV1 trie along the
// changed paths only. The general path decodes every entry into a FieldSet, does set algebra and
// encodes every entry again, which costs in proportion to all the fields all managers own; a
// status write changes a handful. The edit is valid only on entries exactly as encodeManagers
// writes them (canonicalEntries); anything else goes the general way, which normalises it.
import type { KubeObject, ManagedFieldsEntry } from '../../../core/types/meta.ts';
import { deepFreeze } from '../../../core/util/deep-freeze.ts';
import { isJsonObject } from '../json-value.ts';
import type { JsonObject } from '../json-value.ts';
import { diffFields } from './field-diff.ts';
import type { FieldDiff } from './field-diff.ts';
import { compareManagers, managerId, MAX_UPDATE_MANAGERS } from './managers.ts';
import type { ManagerFields } from './managers.ts';
import { comparePaths } from './field-set.ts';
import { isPathElement } from './path.ts';
import type { FieldPath } from './path.ts';
import type { UpdateOptions } from './record-update.ts';

/** Writer is the identity of the manager an update is recorded for. */
export type Writer = Omit<ManagerFields, 'set' | 'time'>;

// A canonical trie node: `{}` is a member leaf (below the root), `.` first marks a member that
// has children, other keys are path elements in sorted order.
type Trie = JsonObject;

const EMPTY: Trie = {};

const isEmpty = (o: JsonObject): boolean => {
  for (const _ in o) return false;
  return true;
};

// isMember tells whether a node below the root is itself in the set.
function isMember(node: Trie): boolean {
  for (const k in node) return k === '.';
  return true;
}

// Path elements already found well-formed: the few field names and keys of a kind's objects
// recur in every entry, and checking a `k:` element parses its JSON. Bounded, as clients choose
// the keys.
const wellFormed = new Set<string>();
const WELL_FORMED_MAX = 10_000;

function isElement(k: string): boolean {
  if (wellFormed.has(k)) return true;
  if (!isPathElement(k)) return false;
  if (wellFormed.size >= WELL_FORMED_MAX) wellFormed.clear();
  wellFormed.add(k);
  return true;
}

function canonicalTrie(node: unknown, depth: number): boolean {
  if (!isJsonObject(node) || Object.getPrototypeOf(node) !== Object.prototype) return false;
  const keys = Object.keys(node);
  // an empty root owns nothing: encodeManagers drops such an entry
  if (keys.length === 0) return depth > 0;
  let prev = '';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k === '.') {
      const mark = node[k];
      if (i !== 0 || depth === 0 || keys.length === 1) return false;
      if (!isJsonObject(mark) || !isEmpty(mark)) return false;
    } else if (!(prev < k) || !isElement(k) || !canonicalTrie(node[k], depth + 1)) {
      return false;
    }
    prev = k;
  }
  return true;
}

const ENTRY_KEYS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1'];

function canonicalEntry(e: unknown): e is ManagedFieldsEntry & { fieldsV1: Trie } {
  if (!isJsonObject(e) || Object.getPrototypeOf(e) !== Object.prototype) return false;
  const want = ENTRY_KEYS.filter(k => k !== 'time' || e['time'] !== undefined);
  if (e['subresource'] !== undefined) want.push('subresource');
  const keys = Object.keys(e);
  if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) return false;
  const { manager, operation, apiVersion, time, fieldsType, subresource } = e;
  return (
    typeof manager === 'string' &&
    (operation === 'Apply' || operation === 'Update') &&
    typeof apiVersion === 'string' &&
    (time === undefined || typeof time === 'string') &&
    fieldsType === 'FieldsV1' &&
    (subresource === undefined || (typeof subresource === 'string' && subresource !== '')) &&
    canonicalTrie(e['fieldsV1'], 0)
  );
}

/** Canonical is an entry as encodeManagers writes it, with its identity (managerId). */
interface Canonical {
  readonly entry: ManagedFieldsEntry & { fieldsV1: Trie };
  readonly id: string;
}

/**
 * canonicalEntries is the list with each entry's identity when it is exactly what encodeManagers
 * writes: well-formed entries with their members in encode order, distinct identities, non-empty
 * fieldsV1 in canonical form, sorted by compareManagers, at most MAX_UPDATE_MANAGERS updates.
 * Undefined otherwise.
 */
function canonicalEntries(list: readonly unknown[]): Canonical[] | undefined {
  const out: Canonical[] = [];
  const ids = new Set<string>();
  let updates = 0;
  let prev: ManagedFieldsEntry | undefined;
  for (const e of list) {
    if (!canonicalEntry(e)) return undefined;
    const id = managerId(e);
    if (ids.has(id)) return undefined;
    ids.add(id);
    if (e.operation === 'Update') updates += 1;
    if (prev !== undefined && compareManagers(prev, e) >= 0) return undefined;
    prev = e;
    out.push({ entry: e, id });
  }
  return updates <= MAX_UPDATE_MANAGERS ? out : undefined;
}

// withChild is node with member k set to child (kept in place, or inserted in sorted order);
// below the root, a member leaf that gains a child marks itself with `.`.
function withChild(node: Trie, k: string, child: Trie, depth: number): Trie {
  const out: Trie = {};
  let placed = false;
  if (depth > 0 && isEmpty(node)) out['.'] = {};
  for (const key of Object.keys(node)) {
    if (!placed && key !== '.' && k <= key) {
      out[k] = child;
      placed = true;
      if (key === k) continue;
    }
    out[key] = node[key];
  }
  if (!placed) out[k] = child;
  return out;
}

function withoutKey(node: Trie, k: string): Trie {
  const out: Trie = {};
  for (const key of Object.keys(node)) if (key !== k) out[key] = node[key];
  return out;
}

// removePath takes `path` out of the set below `node` (at `depth`); undefined when the node is
// left with nothing (neither a member nor anything below it), the same node when unchanged.
function removePath(node: Trie, path: FieldPath, depth: number): Trie | undefined {
  const k = path[depth] as string;
  const child = node[k] as Trie | undefined;
  if (child === undefined) return node;
  let next: Trie | undefined;
  if (depth === path.length - 1) {
    if (!isMember(child)) return node;
    // a leaf goes; a member with children stays for them
    next = isEmpty(child) ? undefined : withoutKey(child, '.');
  } else {
    next = removePath(child, path, depth + 1);
    if (next === child) return node;
  }
  const out = next === undefined ? withoutKey(node, k) : withChild(node, k, next, depth);
  if (depth === 0) return out;
  for (const key in out) if (key !== '.') return out;
  // no children left: a member stays as a leaf, anything else goes
  return isMember(node) ? {} : undefined;
}

// addPath puts `path` into the set below `node` (at `depth`; undefined: not there yet).
function addPath(node: Trie | undefined, path: FieldPath, depth: number): Trie {
  if (node === undefined) {
    if (depth === path.length) return {};
    const k = path[depth] as string;
    return { [k]: addPath(undefined, path, depth + 1) };
  }
  if (depth === path.length) return isMember(node) ? node : { '.': {}, ...node };
  const k = path[depth] as string;
  const child = node[k] as Trie | undefined;
  const next = addPath(child, path, depth + 1);
  return next === child ? node : withChild(node, k, next, depth);
}

// Tries an update builds or edits recur from object to object (every Task's RUNNING status write
// owns the same fields), and the watch cache keeps every object's: a trie this edit made is
// interned by its JSON text, so the cache holds one per shape (as creatorFieldsV1 does for
// creates) and its copies (json-copy.ts) share it, frozen, instead of copying it. The interned
// trie is a copy of the first one made, so nothing a caller holds is frozen. Bounded: past
// MAX_INTERNED shapes it starts again (tries handed out stay valid).
const interned = new Map<string, Trie>();
const MAX_INTERNED = 4096;

// internEdit is `t` interned, or `t` itself when the edit left `from` as it was (or it is an
// interned trie already): an unchanged trie stays shared with the stored entry.
function internEdit(t: Trie, from: Trie | undefined): Trie {
  if (t === from || Object.isFrozen(t)) return t;
  const text = JSON.stringify(t);
  let shared = interned.get(text);
  if (shared === undefined) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    shared = deepFreeze(JSON.parse(text) as Trie);
    interned.set(text, shared);
  }
  return shared;
}

function entry(w: Writer, time: string | undefined, fieldsV1: Trie): ManagedFieldsEntry {
  return {
    manager: w.manager,
    operation: w.operation,
    apiVersion: w.apiVersion,
    ...(time === undefined ? {} : { time }),
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(w.subresource === undefined ? {} : { subresource: w.subresource }),
  };
}

/**
 * updateEntries is recordUpdate's step 3 on a stored (or supplied) managedFields list: every
 * manager loses the changed and removed paths, `writer` gains the changed ones with time `now`
 * (when there are any), empty entries go, and the list is sorted as kube sorts it. The result
 * equals decoding, the set algebra and encoding; entries and tries nothing touched are shared
 * with `list` (both are read-only). Undefined when `list` is not canonical or the writer's new
 * entry would need capping: then take the general path.
 */
export function updateEntries(
  list: readonly unknown[],
  diff: FieldDiff,
  writer: Writer,
  now: string,
): ManagedFieldsEntry[] | undefined {
  const entries = canonicalEntries(list);
  if (entries === undefined) return undefined;
  const dropped = diff.removed.length === 0 ? diff.changed : [...diff.changed, ...diff.removed];
  const selfId = managerId(writer);
  const out: ManagedFieldsEntry[] = [];
  let own: Trie | undefined;
  let ownEntry: ManagedFieldsEntry | undefined;
  for (const { entry: e, id } of entries) {
    let fields: Trie = e.fieldsV1;
    // the writer keeps what it changes: (set - changed - removed) + changed = (set - removed) + changed
    const lost = id === selfId ? diff.removed : dropped;
    for (const p of lost) fields = removePath(fields, p, 0) ?? EMPTY;
    if (id === selfId) {
      own = fields;
      ownEntry = e;
    } else if (!isEmpty(fields)) {
      out.push(
        fields === e.fieldsV1 ? { ...e } : { ...e, fieldsV1: internEdit(fields, e.fieldsV1) },
      );
    }
  }
  if (diff.changed.length > 0) {
    out.push(entry(writer, now, internEdit(withPaths(own, diff.changed), own)));
  } else if (ownEntry !== undefined && own !== undefined && !isEmpty(own)) {
    out.push(
      own === ownEntry.fieldsV1
        ? { ...ownEntry }
        : { ...ownEntry, fieldsV1: internEdit(own, ownEntry.fieldsV1) },
    );
  }
  let updates = 0;
  for (const e of out) if (e.operation === 'Update') updates += 1;
  if (updates > MAX_UPDATE_MANAGERS) return undefined;
  return out.sort(compareManagers);
}

// withPaths is `own` (undefined: a new entry) with `paths` added. A new entry's trie is built in
// one pass over the paths in sorted order, parents first, so every node gets its members in
// order and no node is rebuilt; an existing one is edited path by path.
function withPaths(own: Trie | undefined, paths: readonly FieldPath[]): Trie {
  if (own !== undefined && !isEmpty(own)) {
    let fields = own;
    for (const p of paths) fields = addPath(fields, p, 0);
    return fields;
  }
  const root: Trie = {};
  const members = new Set<Trie>();
  for (const p of [...paths].sort(comparePaths)) {
    let node = root;
    for (const e of p) {
      let child = node[e] as Trie | undefined;
      if (child === undefined) {
        // a member that gets its first child marks itself first
        if (members.has(node) && isEmpty(node)) node['.'] = {};
        node[e] = child = {};
      }
      node = child;
    }
    members.add(node);
  }
  return root;
}

/**
 * editStoredEntries is recordUpdate for an update (`before` is stored) done by updateEntries:
 * from the list the client sent on the main resource (a non-empty one), else the stored list; an
 * untracked object stays untracked. Undefined when the general path must decide (a list that is
 * not canonical, a list item path the diff cannot key, a writer entry that would need capping).
 */
export function editStoredEntries(
  opts: UpdateOptions & { readonly before: KubeObject },
): ManagedFieldsEntry[] | undefined {
  const sent: unknown =
    opts.subresource === undefined ? opts.after.metadata.managedFields : undefined;
  const list: unknown =
    Array.isArray(sent) && sent.length > 0 ? sent : opts.before.metadata.managedFields;
  if (list === undefined || (Array.isArray(list) && list.length === 0)) return [];
  if (!Array.isArray(list)) return undefined;
  const diff = diffFields(opts.before, opts.after, opts.schema);
  if (diff === undefined) return undefined;
  const subresource = opts.subresource === '' ? undefined : opts.subresource;
  const writer: Writer = {
    manager: opts.manager,
    operation: 'Update',
    apiVersion: opts.apiVersion,
    ...(subresource === undefined ? {} : { subresource }),
  };
  return updateEntries(list, diff, writer, opts.now);
}
