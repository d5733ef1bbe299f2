// Resources: Mesos's resource collection (src/common/resources.cpp) as an immutable value.
import type { ResourceEntry } from './bag.ts';
import { bagAdd, bagContains, bagSubtract, sortBag } from './bag.ts';
import type { ResourceLimits } from './limits.ts';
import { ResourceQuantities } from './quantities.ts';
import type { Ranges } from './ranges.ts';
import { EMPTY_RANGES, rangesAdd, rangesSize } from './ranges.ts';
import type { ReservationInfo } from './reservation.ts';
import type { Resource } from './resource.ts';
import * as is from './resource.ts';
import { resourceEqual } from './resource-compare.ts';
import { formatResource } from './resource-format.ts';
import type { Scalar } from './scalar.ts';
import { scalarAdd, scalarFromUnits, ZERO_SCALAR } from './scalar.ts';
import { shrinkEntries } from './shrink.ts';

/** ShrinkOptions lets tests fix the order in which `shrink` visits resources. */
export interface ShrinkOptions {
  /** A uniform random number in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
}

/**
 * Resources is an immutable bag of resources with Mesos's arithmetic. Addable resources (same
 * name, type, reservations, disk, revocability, provider and allocation) are merged into one;
 * shared resources are counted; everything else is kept side by side. The order is canonical
 * (name, then every other field), so equal values print alike. Methods that take a raw
 * `Resource` validate it and throw a RangeError if it is invalid, where Mesos would silently
 * ignore it; zero-valued resources are dropped, as in Mesos.
 */
export class Resources implements Iterable<Resource> {
  /** EMPTY holds nothing. */
  static readonly EMPTY = new Resources([]);

  readonly #entries: readonly ResourceEntry[];

  private constructor(canonical: readonly ResourceEntry[]) {
    this.#entries = Object.freeze(canonical);
  }

  static #build(working: ResourceEntry[]): Resources {
    return working.length === 0 ? Resources.EMPTY : new Resources(sortBag(working));
  }

  /** of builds a collection from single resources, merging the addable ones. */
  static of(...resources: Resource[]): Resources {
    return Resources.from(resources);
  }

  /** from builds a collection from single resources, merging the addable ones. */
  static from(resources: Iterable<Resource>): Resources {
    const working: ResourceEntry[] = [];
    for (const resource of resources) bagAdd(working, { resource: checked(resource), count: 1 });
    return Resources.#build(working);
  }

  /** fromEntries builds a collection from resources with copy counts (counts > 1: shared only). */
  static fromEntries(entries: Iterable<ResourceEntry>): Resources {
    const working: ResourceEntry[] = [];
    for (const e of entries) {
      if (!Number.isSafeInteger(e.count) || e.count < 0 || (e.count > 1 && !e.resource.shared)) {
        throw new RangeError(`invalid count ${e.count} for ${formatResource(e.resource)}`);
      }
      bagAdd(working, { resource: checked(e.resource), count: e.count });
    }
    return Resources.#build(working);
  }

  /** sum adds up any number of collections. */
  static sum(all: Iterable<Resources>): Resources {
    const working: ResourceEntry[] = [];
    for (const r of all) for (const e of r.#entries) bagAdd(working, e);
    return Resources.#build(working);
  }

  /** size is the number of distinct resources (a shared resource counts once). */
  get size(): number {
    return this.#entries.length;
  }

  /** isEmpty reports that nothing is held. */
  isEmpty(): boolean {
    return this.#entries.length === 0;
  }

  /** [Symbol.iterator] yields each distinct resource once, in canonical order. */
  *[Symbol.iterator](): Iterator<Resource> {
    for (const e of this.#entries) yield e.resource;
  }

  /** toArray lists each distinct resource once, in canonical order. */
  toArray(): readonly Resource[] {
    return this.#entries.map(e => e.resource);
  }

  /** entries lists each distinct resource with its copy count (above 1 only for shared ones). */
  entries(): readonly ResourceEntry[] {
    return this.#entries;
  }

  /**
   * count is how many copies of exactly `resource` are held: the count of a shared resource, 1 for
   * a non-shared one present with exactly this value, else 0 (after merging, `cpus:1` + `cpus:1`
   * holds no `cpus:1`).
   */
  count(resource: Resource): number {
    return this.#entries.find(e => resourceEqual(e.resource, resource))?.count ?? 0;
  }

  /**
   * add merges `that` in. Edge cases: zero-valued resources vanish; ranges and sets are unions
   * (so overlapping ports are not double counted); persistent volumes and MOUNT/BLOCK/RAW-with-id
   * disks never merge, so adding the same one twice holds two copies; a shared resource added to
   * an equal one raises its count.
   */
  add(that: Resources | Resource): Resources {
    const other = that instanceof Resources ? that : Resources.of(that);
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const working = [...this.#entries];
    for (const e of other.#entries) bagAdd(working, e);
    return Resources.#build(working);
  }

  /**
   * subtract takes `that` out, resource by resource, as Mesos does. Edge cases: what is not held is
   * ignored (no error); a scalar that would go negative is removed, so results floor at zero;
   * ranges and sets lose only the elements they hold; an indivisible disk (persistent volume,
   * MOUNT, BLOCK, RAW with an id) is removed only by an exactly equal resource; a shared resource
   * loses copies and disappears at zero; a shared and a non-shared resource never cancel.
   */
  subtract(that: Resources | Resource): Resources {
    const other = that instanceof Resources ? that : Resources.of(that);
    if (other.isEmpty() || this.isEmpty()) return this;
    const working = [...this.#entries];
    for (const e of other.#entries) bagSubtract(working, e);
    return Resources.#build(working);
  }

  /**
   * contains reports whether `that` ⊆ this, with reservations, disks and other metadata matching
   * exactly (`cpus(eng):1` is not in `cpus:2`). Edge cases: the empty collection is in everything;
   * an indivisible disk contains only itself, not a smaller part; shared copies are counted.
   */
  contains(that: Resources | Resource): boolean {
    const other = that instanceof Resources ? that : Resources.of(that);
    return bagContains(this.#entries, other.#entries);
  }

  /**
   * containsQuantities reports whether the held amounts, summed per name across reservations and
   * other metadata, reach every quantity (`cpus(a):2;cpus:1` contains `cpus:3`). A range or set
   * resource counts its elements; a shared resource counts once.
   */
  containsQuantities(quantities: ResourceQuantities): boolean {
    return this.toQuantities().contains(quantities);
  }

  /** equals reports mutual containment, Mesos's equality (volumes are not compared). */
  equals(that: Resources): boolean {
    return this === that || (this.contains(that) && that.contains(this));
  }

  /** filter keeps the resources the predicate accepts (with their counts). */
  filter(keep: (r: Resource) => boolean): Resources {
    const kept = this.#entries.filter(e => keep(e.resource));
    return kept.length === this.#entries.length ? this : Resources.#build(kept);
  }

  /** reserved keeps reserved resources; with a role, those whose current reservation is it. */
  reserved(role?: string): Resources {
    return this.filter(r => is.isReserved(r, role));
  }

  /** unreserved keeps resources with an empty reservation stack. */
  unreserved(): Resources {
    return this.filter(is.isUnreserved);
  }

  /**
   * allocatableTo keeps what may be offered to `role`: unreserved resources and those reserved
   * for `role` or one of its ancestors. For `eng/ml` that includes `eng` reservations, but never
   * `eng/ml`'s children's, a sibling's, or a lookalike such as `engineering`. For `*`, only
   * unreserved resources.
   */
  allocatableTo(role: string): Resources {
    return this.filter(r => is.isAllocatableTo(r, role));
  }

  /** reservedToRoleSubtree keeps resources reserved for `role` or a role below it. */
  reservedToRoleSubtree(role: string): Resources {
    return this.filter(r => is.isReservedToRoleSubtree(r, role));
  }

  /** allocatedToRoleSubtree keeps resources allocated to `role` or a role below it. */
  allocatedToRoleSubtree(role: string): Resources {
    return this.filter(r => is.isAllocatedToRoleSubtree(r, role));
  }

  /** persistentVolumes keeps disks with persistence info, shared or not. */
  persistentVolumes(): Resources {
    return this.filter(is.isPersistentVolume);
  }

  /** revocable keeps revocable resources. */
  revocable(): Resources {
    return this.filter(r => r.revocable);
  }

  /** nonRevocable keeps non-revocable resources. */
  nonRevocable(): Resources {
    return this.filter(r => !r.revocable);
  }

  /** shared keeps shared resources. */
  shared(): Resources {
    return this.filter(r => r.shared);
  }

  /** nonShared keeps non-shared resources. */
  nonShared(): Resources {
    return this.filter(r => !r.shared);
  }

  /** scalars keeps SCALAR resources. */
  scalars(): Resources {
    return this.filter(r => r.value.type === 'SCALAR');
  }

  /** named keeps the resources called `name`, whatever their metadata. */
  named(name: string): Resources {
    return this.filter(r => r.name === name);
  }

  /** names lists the distinct resource names, sorted. */
  names(): string[] {
    return [...new Set(this.#entries.map(e => e.resource.name))];
  }

  /** reservations groups reserved resources by their current reservation role. */
  reservations(): ReadonlyMap<string, Resources> {
    return this.#groupBy(is.reservationRole);
  }

  /** allocations groups allocated resources by allocation role; unallocated ones are left out. */
  allocations(): ReadonlyMap<string, Resources> {
    return this.#groupBy(r => r.allocationRole);
  }

  #groupBy(key: (r: Resource) => string | undefined): ReadonlyMap<string, Resources> {
    const groups = new Map<string, ResourceEntry[]>();
    for (const e of this.#entries) {
      const k = key(e.resource);
      if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), e]);
    }
    return new Map([...groups].map(([k, list]) => [k, Resources.#build(list)]));
  }

  #map(change: (r: Resource) => Resource): Resources {
    const working: ResourceEntry[] = [];
    for (const e of this.#entries)
      bagAdd(working, { resource: change(e.resource), count: e.count });
    return Resources.#build(working);
  }

  /** allocate marks every resource as allocated to `role` (replacing any previous allocation). */
  allocate(role: string): Resources {
    return this.#map(r => ({ ...r, allocationRole: role }));
  }

  /** unallocate clears the allocation role of every resource. */
  unallocate(): Resources {
    return this.#map(withoutAllocation);
  }

  /**
   * pushReservation reserves every resource one level further (RESERVE). Throws a RangeError if
   * the result is invalid: `*`, a STATIC entry above the bottom, or a role that is not a strict
   * descendant of the current reservation role.
   */
  pushReservation(reservation: ReservationInfo): Resources {
    return this.#map(r => checked({ ...r, reservations: [...r.reservations, reservation] }));
  }

  /**
   * popReservation removes the current reservation of every resource (UNRESERVE), handing it back
   * to the reservation below, or making it unreserved. Throws a RangeError if any is unreserved.
   */
  popReservation(): Resources {
    return this.#map(r => {
      if (is.isUnreserved(r)) throw new RangeError(`${formatResource(r)} is not reserved`);
      return { ...r, reservations: r.reservations.slice(0, -1) };
    });
  }

  /** toUnreserved clears every reservation stack, merging what becomes addable. */
  toUnreserved(): Resources {
    return this.#entries.every(e => is.isUnreserved(e.resource))
      ? this
      : this.#map(r => ({ ...r, reservations: [] }));
  }

  /**
   * toQuantities sums amounts per name, ignoring all metadata: scalars by value, ranges and sets
   * by element count (`ports:[1-5]` → 5). A shared resource counts once, whatever its count.
   */
  toQuantities(): ResourceQuantities {
    return ResourceQuantities.from(
      this.#entries.map(({ resource: { name, value } }) => {
        if (value.type === 'SCALAR') return [name, value.scalar] as const;
        const size = value.type === 'RANGES' ? rangesSize(value.ranges) : value.set.length;
        return [name, scalarFromUnits(size)] as const;
      }),
    );
  }

  /** scalar is the total of the scalar resources called `name` (zero when none). */
  scalar(name: string): Scalar {
    let total = ZERO_SCALAR;
    for (const { value } of this.named(name)) {
      if (value.type === 'SCALAR') total = scalarAdd(total, value.scalar);
    }
    return total;
  }

  /** ranges is the union of the range resources called `name` (empty when none). */
  ranges(name: string): Ranges {
    let total = EMPTY_RANGES;
    for (const { value } of this.named(name)) {
      if (value.type === 'RANGES') total = rangesAdd(total, value.ranges);
    }
    return total;
  }

  /**
   * shrink keeps a part of this collection that fits `target` (Mesos `shrinkResources`). Scalars
   * are cut down greedily in random order; indivisible disks (persistent volumes, MOUNT, BLOCK, RAW
   * with an id) are taken whole or left out. With `ResourceQuantities`, names missing from the
   * target are dropped (missing = zero); with `ResourceLimits`, they are kept whole (missing =
   * infinite). The target may only name scalar resources: naming a range or set throws a
   * RangeError. The result is always contained in this collection.
   */
  shrink(target: ResourceQuantities | ResourceLimits, options: ShrinkOptions = {}): Resources {
    return Resources.#build(shrinkEntries(this.#entries, target, options.random ?? Math.random));
  }

  /**
   * toString prints Mesos's form, resources joined by `; ` in canonical order, e.g.
   * `cpus:1; mem:128; ports:[31000-32000]`; a shared resource shows its count (`<2>`); `{}` when
   * empty.
   */
  toString(): string {
    if (this.isEmpty()) return '{}';
    return this.#entries
      .map(e => `${formatResource(e.resource)}${e.resource.shared ? `<${e.count}>` : ''}`)
      .join('; ');
  }
}

function withoutAllocation(r: Resource): Resource {
  if (r.allocationRole === undefined) return r;
  const copy: { -readonly [K in keyof Resource]?: Resource[K] } = { ...r };
  delete copy.allocationRole;
  return copy as Resource;
}

function checked(r: Resource): Resource {
  const bad = is.validateResource(r);
  if (bad !== undefined) throw new RangeError(`invalid resource ${formatResource(r)}: ${bad}`);
  return r;
}
