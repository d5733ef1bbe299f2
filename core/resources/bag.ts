// The multiset underneath `Resources`: a list of resources in which addable ones are merged and
// shared ones carry a count (Mesos `Resources::Resource_` and its add/subtract/contains).
import type { Resource } from './resource.ts';
import { isEmptyValue } from './resource.ts';
import {
  addValues,
  addable,
  containsResource,
  resourceEqual,
  subtractValues,
  subtractable,
} from './resource-compare.ts';
import { compareResources } from './resource-format.ts';

/**
 * ResourceEntry is one resource of a `Resources` value with its multiplicity: how many copies of a
 * shared resource are held (always 1 for a non-shared resource, whose copies merge into one value).
 */
export interface ResourceEntry {
  readonly resource: Resource;
  readonly count: number;
}

/** bagAdd merges an entry into a working list, in place (Mesos `Resources::add`). */
export function bagAdd(entries: ResourceEntry[], that: ResourceEntry): void {
  if (that.count <= 0 || isEmptyValue(that.resource.value)) return;
  const i = entries.findIndex(e => addable(e.resource, that.resource));
  const found = entries[i];
  if (found === undefined) {
    entries.push(that);
  } else if (found.resource.shared) {
    entries[i] = { resource: found.resource, count: found.count + that.count };
  } else {
    const value = addValues(found.resource.value, that.resource.value);
    entries[i] = { resource: { ...found.resource, value }, count: 1 };
  }
}

/**
 * bagSubtract takes an entry out of a working list, in place (Mesos `Resources::subtract`): from
 * the first subtractable entry only; an entry that goes empty or negative is removed; an entry
 * with nothing subtractable is ignored.
 */
export function bagSubtract(entries: ResourceEntry[], that: ResourceEntry): void {
  if (that.count <= 0 || isEmptyValue(that.resource.value)) return;
  const i = entries.findIndex(e => subtractable(e.resource, that.resource));
  if (i >= 0) subtractAt(entries, i, that);
}

function subtractAt(entries: ResourceEntry[], i: number, that: ResourceEntry): void {
  const found = entries[i] as ResourceEntry;
  if (found.resource.shared) {
    const count = found.count - that.count;
    if (count > 0) entries[i] = { resource: found.resource, count };
    else entries.splice(i, 1);
    return;
  }
  const value = subtractValues(found.resource.value, that.resource.value);
  if (isEmptyValue(value) || (value.type === 'SCALAR' && value.scalar < 0n)) entries.splice(i, 1);
  else entries[i] = { resource: { ...found.resource, value }, count: 1 };
}

/** entryContains compares one entry with another (Mesos `Resource_::contains`). */
export function entryContains(a: ResourceEntry, b: ResourceEntry): boolean {
  if (a.resource.shared !== b.resource.shared) return false;
  if (a.resource.shared) return a.count >= b.count && resourceEqual(a.resource, b.resource);
  return containsResource(a.resource, b.resource);
}

/**
 * bagContains reports whether every entry of `that` fits in `have`. Each matched entry is taken
 * out before the next is checked. Mesos only does that for persistent volumes, which lets one
 * MOUNT disk "contain" two identical copies of itself; taking every match out closes that gap and
 * changes nothing else, since all other entries of `that` have distinct identities.
 */
export function bagContains(
  have: readonly ResourceEntry[],
  that: readonly ResourceEntry[],
): boolean {
  const remaining = [...have];
  for (const entry of that) {
    const i = remaining.findIndex(e => entryContains(e, entry));
    if (i < 0) return false;
    subtractAt(remaining, i, entry);
  }
  return true;
}

/**
 * sortBag puts a working list into the canonical order `Resources` keeps. Operations mostly replace
 * entries in place, so the list is often still sorted: check that first and sort only if not.
 */
export function sortBag(entries: ResourceEntry[]): ResourceEntry[] {
  const cmp = (a: ResourceEntry, b: ResourceEntry) =>
    compareResources(a.resource, b.resource) || a.count - b.count;
  for (let i = 1; i < entries.length; i++) {
    if (cmp(entries[i - 1] as ResourceEntry, entries[i] as ResourceEntry) > 0)
      return entries.sort(cmp);
  }
  return entries;
}
