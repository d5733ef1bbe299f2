// The wire forms of resources shared by the kinds (DESIGN.md §2, mesos-features §0.1). These are
// what the YAML holds; core/resources parses them into exact values (parseResourceMap,
// parseResourceList, parseQuantities, parseLimits) and renders them back.

/**
 * Quantity is a non-negative Kubernetes-style quantity: a count for cpus, gpus and custom scalars
 * (`2`, `"0.5"`, `500m`), megabytes for mem and disk when bare (`4096`) and bytes with a suffix
 * (`4Gi`). Numbers must be integers; fractions are written as strings, as with every
 * `x-kubernetes-int-or-string` field.
 */
export type Quantity = string | number;

/** QuantityMap is name → scalar quantity (quota guarantees and limits, status totals). */
export type QuantityMap = Record<string, Quantity>;

/**
 * ResourceMap is the simple map form of unreserved resources: name → quantity, ranges text
 * (`"31000-32000,33000"`) or set text (`"{a,b}"`).
 */
export type ResourceMap = Record<string, Quantity>;

/** RESERVATION_TYPES lists how a reservation was made. */
export const RESERVATION_TYPES = ['STATIC', 'DYNAMIC'] as const;

/** ReservationType is STATIC (agent configuration) or DYNAMIC (a RESERVE). */
export type ReservationType = (typeof RESERVATION_TYPES)[number];

/** ReservationItem is one entry of a reservation stack (Mesos ReservationInfo). */
export interface ReservationItem {
  readonly type: ReservationType;
  readonly role: string;
  readonly principal?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** DISK_SOURCE_TYPES lists the disk sources; ROOT is the same as no source. */
export const DISK_SOURCE_TYPES = ['ROOT', 'PATH', 'MOUNT', 'BLOCK', 'RAW'] as const;

/** DiskSourceType is where a disk comes from. */
export type DiskSourceType = (typeof DISK_SOURCE_TYPES)[number];

/** VOLUME_MODES lists how a volume is mounted. */
export const VOLUME_MODES = ['RW', 'RO'] as const;

/** VolumeMode is read-write or read-only. */
export type VolumeMode = (typeof VOLUME_MODES)[number];

/** DiskSourceItem says where a disk comes from (Mesos DiskInfo.Source, roots flattened). */
export interface DiskSourceItem {
  readonly type: DiskSourceType;
  readonly root?: string;
  readonly vendor?: string;
  readonly id?: string;
  readonly profile?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** DiskItem is Mesos Resource.DiskInfo: persistence, mount point and source. */
export interface DiskItem {
  readonly persistence?: { readonly id: string; readonly principal?: string };
  readonly volume?: { readonly containerPath: string; readonly mode?: VolumeMode };
  readonly source?: DiskSourceItem;
}

/** RESOURCE_VALUE_TYPES lists the value types of a resource. */
export const RESOURCE_VALUE_TYPES = ['SCALAR', 'RANGES', 'SET'] as const;

/** ResourceValueType is SCALAR, RANGES or SET. */
export type ResourceValueType = (typeof RESOURCE_VALUE_TYPES)[number];

/**
 * ResourceItem is one resource of the list form (Mesos Resource) with everything that gives it
 * identity. Exactly one of scalar, ranges or set is set; `type`, when given, matches it.
 */
export interface ResourceItem {
  readonly name: string;
  readonly type?: ResourceValueType;
  readonly scalar?: Quantity;
  readonly ranges?: string;
  readonly set?: readonly string[];
  readonly reservations?: readonly ReservationItem[];
  readonly disk?: DiskItem;
  readonly revocable?: boolean;
  readonly shared?: boolean;
  readonly providerId?: string;
  readonly allocationRole?: string;
}

/** FaultDomain is an agent's region and zone (Mesos DomainInfo.FaultDomain). */
export interface FaultDomain {
  region: string;
  zone: string;
}
