// The decoded form of `metadata.managedFields`: one owned-field set per manager identity, and the
// way back to kube's entry list (sorted as kube sorts it, old Update managers folded together).
import type { ManagedFieldsEntry } from '../../../core/types/meta.ts';
import { isJsonObject } from '../json-value.ts';
import { FieldSet } from './field-set.ts';
import { fromFieldsV1, toFieldsV1 } from './fields-v1.ts';

/** ManagerFields is one managedFields entry with its fields decoded. */
export interface ManagerFields {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly time?: string;
  readonly set: FieldSet;
}

/** MAX_UPDATE_MANAGERS is kube's cap on Update entries before old ones fold into one bucket. */
export const MAX_UPDATE_MANAGERS = 10;

/** ANCIENT_CHANGES is the manager name of the bucket old Update entries fold into. */
export const ANCIENT_CHANGES = 'ancient-changes';

/**
 * managerId is kube's manager identity: name, operation and subresource, plus the apiVersion for
 * Update entries only (an applier keeps one entry across versions; an updater gets one per version).
 */
export function managerId(m: Omit<ManagerFields, 'set'>): string {
  const version = m.operation === 'Update' ? m.apiVersion : '';
  return JSON.stringify([m.manager, m.operation, version, m.subresource ?? '']);
}

/**
 * decodeManagers parses managedFields entries. Missing operation counts as Update and missing
 * fieldsV1 as owning nothing (so kube's reset `[{}]` decodes); entries with the same identity are
 * merged. Undefined when the list or any entry is malformed.
 */
export function decodeManagers(entries: unknown): ManagerFields[] | undefined {
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) return undefined;
  const byId = new Map<string, ManagerFields>();
  for (const e of entries) {
    const m = decodeEntry(e);
    if (m === undefined) return undefined;
    const id = managerId(m);
    const prev = byId.get(id);
    byId.set(id, prev === undefined ? m : { ...m, set: prev.set.union(m.set) });
  }
  return [...byId.values()];
}

function decodeEntry(e: unknown): ManagerFields | undefined {
  if (!isJsonObject(e)) return undefined;
  const { manager = '', operation = 'Update', apiVersion = '', time, subresource } = e;
  if (typeof manager !== 'string' || typeof apiVersion !== 'string') return undefined;
  if (operation !== 'Apply' && operation !== 'Update') return undefined;
  if (time !== undefined && typeof time !== 'string') return undefined;
  if (subresource !== undefined && typeof subresource !== 'string') return undefined;
  let set: FieldSet;
  try {
    set = e.fieldsV1 === undefined ? FieldSet.EMPTY : fromFieldsV1(e.fieldsV1);
  } catch {
    return undefined;
  }
  return {
    manager,
    operation,
    apiVersion,
    set,
    ...(time === undefined ? {} : { time }),
    ...(subresource === undefined || subresource === '' ? {} : { subresource }),
  };
}

/** encodeManagers renders entries in kube's order: Apply before Update, then time, name, version. */
export function encodeManagers(managers: readonly ManagerFields[]): ManagedFieldsEntry[] {
  return [...managers].sort(compareManagers).map(m => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time === undefined ? {} : { time: m.time }),
    fieldsType: 'FieldsV1' as const,
    fieldsV1: toFieldsV1(m.set),
    ...(m.subresource === undefined ? {} : { subresource: m.subresource }),
  }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** compareManagers is kube's order of managedFields entries (encodeManagers sorts by it). */
export function compareManagers(
  p: Omit<ManagerFields, 'set'>,
  q: Omit<ManagerFields, 'set'>,
): number {
  return (
    cmp(p.operation, q.operation) ||
    cmp(p.time ?? '', q.time ?? '') ||
    cmp(p.manager, q.manager) ||
    cmp(p.apiVersion, q.apiVersion) ||
    cmp(p.subresource ?? '', q.subresource ?? '')
  );
}

/**
 * capUpdateManagers folds the oldest Update entries into one `ancient-changes` entry per
 * apiVersion until at most MAX_UPDATE_MANAGERS Update entries remain, as kube's capManagers does.
 */
export function capUpdateManagers(managers: readonly ManagerFields[]): ManagerFields[] {
  const applies = managers.filter(m => m.operation === 'Apply');
  const updates = managers.filter(m => m.operation === 'Update');
  if (updates.length <= MAX_UPDATE_MANAGERS) return [...managers];
  const oldestFirst = [...updates].sort(
    (p, q) => cmp(p.time ?? '', q.time ?? '') || cmp(managerId(p), managerId(q)),
  );
  const kept = new Map(oldestFirst.map(m => [managerId(m), m]));
  for (const m of oldestFirst) {
    if (kept.size <= MAX_UPDATE_MANAGERS) break;
    if (m.manager === ANCIENT_CHANGES && m.subresource === undefined) continue;
    const bucketId = managerId({
      manager: ANCIENT_CHANGES,
      operation: 'Update',
      apiVersion: m.apiVersion,
    });
    const bucket = kept.get(bucketId);
    const time = m.time ?? bucket?.time;
    kept.delete(managerId(m));
    kept.set(bucketId, {
      manager: ANCIENT_CHANGES,
      operation: 'Update',
      apiVersion: m.apiVersion,
      set: (bucket?.set ?? FieldSet.EMPTY).union(m.set),
      ...(time === undefined ? {} : { time }),
    });
  }
  return [...applies, ...kept.values()];
}

/** withoutEmpty drops managers that own nothing, as kube does after every write. */
export const withoutEmpty = (ms: readonly ManagerFields[]): ManagerFields[] =>
  ms.filter(m => !m.set.isEmpty());
