// Builders for resource tests, shaped after Mesos's test helpers (createDiskResource,
// createReservedResource, createDynamicReservationInfo) so scenarios read like the originals.
import type {
  DiskInfo,
  DiskSource,
  ReservationInfo,
  Resource,
  ResourceValue,
} from '../../../../core/resources/index.ts';
import {
  makeLabels,
  makeResource,
  parseLimitsText,
  parseQuantitiesText,
  parseResourceText,
  parseQuantity,
  Resources,
  unitOf,
} from '../../../../core/resources/index.ts';

/** res parses Mesos's text form (`cpus:1;mem(role):2`). */
export const res = (text: string, defaultRole?: string): Resources =>
  parseResourceText(text, defaultRole);

/** qty parses `cpus:1;mem:2` into ResourceQuantities. */
export const qty = parseQuantitiesText;

/** lim parses `cpus:1;mem:2` into ResourceLimits. */
export const lim = parseLimitsText;

/** scalarOf reads one exact amount in the unit of `name`. */
export const scalarOf = (name: string, text: string) =>
  parseQuantity(text, { field: name, unit: unitOf(name) });

/** staticRes is a STATIC reservation for `role`. */
export const staticRes = (role: string): ReservationInfo => ({ type: 'STATIC', role });

/** dynamicRes is a DYNAMIC reservation, optionally with a principal and labels. */
export function dynamicRes(
  role: string,
  principal?: string,
  labels?: Record<string, string>,
): ReservationInfo {
  const l = labels === undefined ? undefined : makeLabels(labels);
  return {
    type: 'DYNAMIC',
    role,
    ...(principal === undefined ? {} : { principal }),
    ...(l === undefined ? {} : { labels: l }),
  };
}

/** mountSource and pathSource mirror createDiskSourceMount/createDiskSourcePath. */
export const mountSource = (root: string): DiskSource => ({ type: 'MOUNT', root });
export const pathSource = (root: string): DiskSource => ({ type: 'PATH', root });

/** ResourceBuilder builds one Resource fluently: `build('disk', '10').role('r').volume('1', 'p').obj()`. */
export class ResourceBuilder {
  #name: string;
  #value: ResourceValue;
  #reservations: ReservationInfo[] = [];
  #disk: { -readonly [K in keyof DiskInfo]: DiskInfo[K] } | undefined;
  #shared = false;
  #revocable = false;
  #providerId: string | undefined;
  #allocationRole: string | undefined;

  constructor(name: string, value: string) {
    this.#name = name;
    const single = parseResourceText(`${name}:${value}`).toArray()[0];
    if (single === undefined) throw new Error(`no value in ${value}`);
    this.#value = single.value;
  }

  /** role adds a STATIC reservation, like Mesos's `Resources::parse(name, value, role)`. */
  role(role: string): this {
    if (role !== '*') this.#reservations.push(staticRes(role));
    return this;
  }

  /** reserve pushes any reservation. */
  reserve(r: ReservationInfo): this {
    this.#reservations.push(r);
    return this;
  }

  /** volume makes a persistent volume with the id, mounted RW at `containerPath`. */
  volume(id: string, containerPath?: string, principal?: string): this {
    this.#disk = {
      ...this.#disk,
      persistence: { id, ...(principal === undefined ? {} : { principal }) },
    };
    if (containerPath !== undefined) this.path(containerPath);
    return this;
  }

  /** path sets the volume's container path (a disk info without persistence if alone). */
  path(containerPath: string): this {
    this.#disk = { ...this.#disk, volume: { containerPath, mode: 'RW' } };
    return this;
  }

  /** source sets the disk source. */
  source(source: DiskSource): this {
    this.#disk = { ...this.#disk, source };
    return this;
  }

  shared(): this {
    this.#shared = true;
    return this;
  }

  revocable(): this {
    this.#revocable = true;
    return this;
  }

  provider(id: string): this {
    this.#providerId = id;
    return this;
  }

  allocatedTo(role: string): this {
    this.#allocationRole = role;
    return this;
  }

  /** obj returns the validated Resource. */
  obj(): Resource {
    return makeResource({
      name: this.#name,
      value: this.#value,
      reservations: this.#reservations,
      ...(this.#disk === undefined ? {} : { disk: this.#disk }),
      shared: this.#shared,
      revocable: this.#revocable,
      ...(this.#providerId === undefined ? {} : { providerId: this.#providerId }),
      ...(this.#allocationRole === undefined ? {} : { allocationRole: this.#allocationRole }),
    });
  }

  /** all returns the resource as a one-element collection. */
  all(): Resources {
    return Resources.of(this.obj());
  }
}

/** build starts a ResourceBuilder. */
export const build = (name: string, value: string): ResourceBuilder =>
  new ResourceBuilder(name, value);

/** diskRes mirrors Mesos's createDiskResource(value, role, persistenceId, containerPath, source, shared). */
export function diskRes(
  value: string,
  opts: {
    role?: string;
    id?: string;
    path?: string;
    source?: DiskSource;
    shared?: boolean;
  } = {},
): Resources {
  const b = build('disk', value).role(opts.role ?? '*');
  if (opts.id !== undefined) b.volume(opts.id);
  if (opts.path !== undefined) b.path(opts.path);
  if (opts.source !== undefined) b.source(opts.source);
  if (opts.shared === true) b.shared();
  return b.all();
}
