// Rendering Resources, quantities and limits to the YAML/JSON shapes the parsers read back.
import type { DiskInfo } from './disk.ts';
import type { ResourceLimits } from './limits.ts';
import type { ResourceQuantities } from './quantities.ts';
import { renderRanges } from './ranges.ts';
import type { Labels, ReservationInfo } from './reservation.ts';
import type { Resource, ResourceValue, ValueType } from './resource.ts';
import { WELL_KNOWN_TYPES } from './resource.ts';
import { formatResource } from './resource-format.ts';
import type { Resources } from './resources.ts';
import { formatScalar } from './scalar.ts';
import { assertNever } from '../util/assert-never.ts';

/** ReservationSpec is the wire form of one reservation. */
export interface ReservationSpec {
  readonly type: 'STATIC' | 'DYNAMIC';
  readonly role: string;
  readonly principal?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** DiskSpec is the wire form of a disk info; a missing source is the ROOT disk. */
export interface DiskSpec {
  readonly persistence?: { readonly id: string; readonly principal?: string };
  readonly volume?: { readonly containerPath: string; readonly mode: 'RW' | 'RO' };
  readonly source?: {
    readonly type: 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW';
    readonly root?: string;
    readonly vendor?: string;
    readonly id?: string;
    readonly profile?: string;
    readonly metadata?: Readonly<Record<string, string>>;
  };
}

/** ResourceSpec is the wire form of one resource in the list form, as `renderResourceList` emits. */
export interface ResourceSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly scalar?: string;
  readonly ranges?: string;
  readonly set?: readonly string[];
  readonly reservations?: readonly ReservationSpec[];
  readonly disk?: DiskSpec;
  readonly revocable?: true;
  readonly shared?: true;
  readonly providerId?: string;
  readonly allocationRole?: string;
}

/** ResourceMapSpec is the simple map form: name → quantity, range list (`1-5,7`) or set (`{a,b}`). */
export type ResourceMapSpec = Readonly<Record<string, string>>;

/**
 * isSimpleResource reports a resource the map form can express: unreserved, unallocated, no disk
 * info, not revocable, not shared, not from a resource provider.
 */
export function isSimpleResource(r: Resource): boolean {
  return (
    r.reservations.length === 0 &&
    r.disk === undefined &&
    !r.revocable &&
    !r.shared &&
    r.providerId === undefined &&
    r.allocationRole === undefined
  );
}

/**
 * renderResourceMap renders simple resources as `{ cpus: "2", mem: "4096", ports:
 * "31000-32000" }`: scalars as exact decimals in Mesos units (mem in MB), ranges compactly, sets as
 * `{a,b}` (the shape core/types ResourceMap declares). Throws a RangeError if any resource is not simple; use `renderResourceList` then.
 */
export function renderResourceMap(resources: Resources): ResourceMapSpec {
  const out: Record<string, string> = {};
  for (const r of resources) {
    if (!isSimpleResource(r)) {
      throw new RangeError(
        `${formatResource(r)} needs the list form: the map form holds only unreserved, plain resources`,
      );
    }
    out[r.name] = renderMapValue(r.name, r.value);
  }
  return out;
}

function renderMapValue(name: string, v: ResourceValue): string {
  switch (v.type) {
    case 'SCALAR':
      return formatScalar(v.scalar);
    case 'RANGES': {
      // `33000` alone would read back as a scalar unless the name is known to be a range.
      const text = renderRanges(v.ranges);
      return WELL_KNOWN_TYPES.get(name) === 'RANGES' || text.includes('-') ? text : `[${text}]`;
    }
    case 'SET':
      return `{${v.set.join(',')}}`;
    default:
      return assertNever(v, 'value type');
  }
}

/**
 * renderResourceList renders every resource in the list form, in canonical order, with empty
 * fields left out. A shared resource held n times is listed n times, which reads back as n.
 */
export function renderResourceList(resources: Resources): ResourceSpec[] {
  const out: ResourceSpec[] = [];
  for (const { resource, count } of resources.entries()) {
    const spec = renderResource(resource);
    for (let i = 0; i < count; i++) out.push(spec);
  }
  return out;
}

/** renderResource renders one resource in the list form. */
export function renderResource(r: Resource): ResourceSpec {
  return {
    name: r.name,
    type: r.value.type,
    ...renderValue(r.value),
    ...(r.reservations.length === 0 ? {} : { reservations: r.reservations.map(renderReservation) }),
    ...(r.disk === undefined ? {} : { disk: renderDisk(r.disk) }),
    ...(r.revocable ? { revocable: true } : {}),
    ...(r.shared ? { shared: true } : {}),
    ...(r.providerId === undefined ? {} : { providerId: r.providerId }),
    ...(r.allocationRole === undefined ? {} : { allocationRole: r.allocationRole }),
  };
}

function renderValue(v: ResourceValue): Pick<ResourceSpec, 'scalar' | 'ranges' | 'set'> {
  switch (v.type) {
    case 'SCALAR':
      return { scalar: formatScalar(v.scalar) };
    case 'RANGES':
      return { ranges: renderRanges(v.ranges) };
    case 'SET':
      return { set: [...v.set] };
    default:
      return assertNever(v, 'value type');
  }
}

function renderLabels(labels: Labels): Record<string, string> {
  return Object.fromEntries(labels.map(l => [l.key, l.value]));
}

function renderReservation(r: ReservationInfo): ReservationSpec {
  return {
    type: r.type,
    role: r.role,
    ...(r.principal === undefined ? {} : { principal: r.principal }),
    ...(r.labels === undefined || r.labels.length === 0 ? {} : { labels: renderLabels(r.labels) }),
  };
}

function renderDisk(d: DiskInfo): DiskSpec {
  const s = d.source;
  return {
    ...(d.persistence === undefined ? {} : { persistence: { ...d.persistence } }),
    ...(d.volume === undefined ? {} : { volume: { ...d.volume } }),
    ...(s === undefined
      ? {}
      : {
          source: {
            type: s.type,
            ...(s.root === undefined ? {} : { root: s.root }),
            ...(s.vendor === undefined ? {} : { vendor: s.vendor }),
            ...(s.id === undefined ? {} : { id: s.id }),
            ...(s.profile === undefined ? {} : { profile: s.profile }),
            ...(s.metadata === undefined ? {} : { metadata: renderLabels(s.metadata) }),
          },
        }),
  };
}

/** renderQuantities renders `{ name: "amount" }` in Mesos units, names sorted. */
export function renderQuantities(q: ResourceQuantities): Record<string, string> {
  return Object.fromEntries([...q].map(([name, amount]) => [name, formatScalar(amount)]));
}

/** renderLimits renders the finite limits as `{ name: "limit" }`; absent names are unlimited. */
export function renderLimits(l: ResourceLimits): Record<string, string> {
  return Object.fromEntries([...l].map(([name, limit]) => [name, formatScalar(limit)]));
}
