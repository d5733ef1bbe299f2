import { badRequest } from '../../../core/errors/index.ts';
import type { KubeObject } from '../../../core/types/meta.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { copyObject, deleteOwn, dropNulls, isJsonObject, jsonEqual } from '../json-value.ts';
import { conflictError } from './conflicts.ts';
import type { Conflict } from './conflicts.ts';
import { FieldSet } from './field-set.ts';
import { LAST_APPLIED_MANAGER, lastAppliedFields, syncLastApplied } from './last-applied.ts';
import {
  capUpdateManagers,
  decodeManagers,
  encodeManagers,
  managerId,
  withoutEmpty,
} from './managers.ts';
import type { ManagerFields } from './managers.ts';
import { mergeApplied } from './merge.ts';
import { removePaths } from './prune.ts';
import { compareObjects, fieldSetOf } from './walk.ts';

/** ApplyOptions describes one server-side apply (`application/apply-patch+yaml`). */
export interface ApplyOptions {
  /** The stored object, or undefined when the apply creates it. */
  readonly live: KubeObject | undefined;
  /** The decoded apply body. */
  readonly applied: KubeObject;
  /** The CRD version's openAPIV3Schema. */
  readonly schema: JSONSchemaProps;
  readonly manager: string;
  readonly force: boolean;
  /** The request's group/version; the body must name the same. */
  readonly apiVersion: string;
  readonly subresource?: string;
  /** RFC 3339 time written into this manager's entry when its apply changes something. */
  readonly now: string;
  /**
   * Top-level fields this endpoint neither writes nor owns (kube's reset fields): `['status']` on
   * the main resource of a kind with a status subresource, `['spec', 'metadata']` on `/status`.
   */
  readonly resetFields?: readonly string[];
}

/** BEFORE_FIRST_APPLY owns an object's fields when it is first applied without managedFields. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * serverSideApply merges an applied configuration into the live object with structured-merge-diff
 * semantics and returns the new object with its `metadata.managedFields`. Phases:
 * 1. merge the configuration (nulls dropped) over the live object;
 * 2. prune fields this manager applied last time, omits now, and nobody else owns;
 * 3. find conflicts — fields another manager owns whose value would change — and throw 409
 *    unless `force` (or, for `kubectl`, the last-applied annotation vouches for them);
 * 4. move ownership: others lose changed and removed fields; this manager owns what it applied.
 * Re-applying an unchanged configuration returns an object equal to `live`.
 */
export function serverSideApply(opts: ApplyOptions): KubeObject {
  checkApplied(opts);
  const { schema, manager, apiVersion, now } = opts;
  const config = configOf(opts);
  const live = opts.live === undefined ? undefined : withoutManagedFields(opts.live);
  const self = { manager, operation: 'Apply' as const, apiVersion, ...subresourceOf(opts) };
  const selfId = managerId(self);
  const managers = startingManagers(opts, live);
  const previous = managers.find(m => managerId(m) === selfId);
  const others = managers.filter(m => managerId(m) !== selfId);
  const applied = fieldSetOf(config, schema);

  // Phase 1 and 2: merge, then prune what only this applier held and no longer applies.
  let merged = mergeApplied(live, config, schema);
  if (previous !== undefined) {
    const owned = others.reduce((acc, m) => acc.union(m.set), applied);
    const drop = previous.set.difference(owned).paths();
    merged = removePaths(
      merged,
      drop.filter(p => !owned.hasWithin(p)),
      schema,
    );
  }

  // Phase 3: conflicts with every other manager's fields.
  const cmp = compareObjects(live, merged, schema);
  const changed = cmp.added.union(cmp.modified);
  const conflicts: Conflict[] = others
    .map(m => ({ manager: m, fields: m.set.intersection(changed) }))
    .filter(c => !c.fields.isEmpty());
  if (conflicts.length > 0 && !opts.force) {
    const allowed =
      manager === LAST_APPLIED_MANAGER && opts.live !== undefined
        ? lastAppliedFields(opts.live, schema)
        : FieldSet.EMPTY;
    const remaining = conflicts
      .map(c => ({ manager: c.manager, fields: c.fields.difference(allowed) }))
      .filter(c => !c.fields.isEmpty());
    if (remaining.length > 0) throw conflictError(remaining);
  }

  // Phase 4: ownership.
  const changedObject = live === undefined || !jsonEqual(live, merged);
  const setChanged = previous === undefined || !previous.set.equals(applied);
  const time = changedObject || setChanged || previous?.time === undefined ? now : previous.time;
  const next: ManagerFields[] = [
    ...others.map(m => ({ ...m, set: m.set.difference(changed).difference(cmp.removed) })),
    { ...self, time, set: applied },
  ];
  const entries = encodeManagers(capUpdateManagers(withoutEmpty(next)));

  let result = asObject(merged);
  if (manager === LAST_APPLIED_MANAGER) result = syncLastApplied(result, opts.applied);
  const metadata = { ...result.metadata };
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...result, metadata };
}

// kube's structuredmerge.go rejects these before merging (400).
function checkApplied(opts: ApplyOptions): void {
  if (opts.applied.apiVersion !== opts.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${opts.applied.apiVersion}, expected: ${opts.apiVersion}`,
    );
  }
  const meta: unknown = opts.applied.metadata;
  if (isJsonObject(meta) && meta.managedFields !== undefined) {
    throw badRequest('metadata.managedFields must be nil');
  }
}

// Nulls in an apply body mean "not specified"; reset fields are not the endpoint's to write.
function configOf(opts: ApplyOptions): Record<string, unknown> {
  const config = copyObject(dropNulls(opts.applied) as Record<string, unknown>);
  for (const f of opts.resetFields ?? []) deleteOwn(config, f);
  return config;
}

const subresourceOf = (opts: { readonly subresource?: string }): { subresource?: string } =>
  opts.subresource === undefined || opts.subresource === ''
    ? {}
    : { subresource: opts.subresource };

/** withoutManagedFields is the object as the merge sees it: managedFields are bookkeeping. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}

// An object that has never been tracked gets all its fields attributed to `before-first-apply`,
// so that the first apply conflicts with what is already there (kube's skipNonApplied manager).
function startingManagers(opts: ApplyOptions, live: KubeObject | undefined): ManagerFields[] {
  if (live === undefined) return [];
  const decoded = decodeManagers(opts.live?.metadata.managedFields) ?? [];
  if (decoded.length > 0) return decoded;
  const set = fieldSetOf(live, opts.schema);
  if (set.isEmpty()) return [];
  return [
    {
      manager: BEFORE_FIRST_APPLY,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: opts.now,
      set,
    },
  ];
}

function asObject(v: unknown): KubeObject {
  const obj = isJsonObject(v) ? v : {};
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  return { ...obj, metadata } as unknown as KubeObject;
}
