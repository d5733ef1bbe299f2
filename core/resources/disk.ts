// Resource.DiskInfo: persistent volumes and disk sources (include/mesos/v1/mesos.proto).
import type { Labels } from './reservation.ts';
import { labelsEqual } from './reservation.ts';
import { assertNever } from '../util/assert-never.ts';

/**
 * DiskSourceType: PATH (a divisible auxiliary disk), MOUNT (a whole mounted disk), BLOCK (a raw
 * block device), RAW (a CSI capacity not yet turned into MOUNT or BLOCK). A disk without a source
 * is the ROOT disk under the agent's work dir.
 */
export type DiskSourceType = 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW';

/**
 * DiskSource says where a disk comes from. `root` is the path or mount root and is only valid for
 * PATH and MOUNT; vendor, id, profile and metadata identify a disk from a CSI resource provider.
 */
export interface DiskSource {
  readonly type: DiskSourceType;
  readonly root?: string;
  readonly vendor?: string;
  readonly id?: string;
  readonly profile?: string;
  readonly metadata?: Labels;
}

/** Persistence marks a disk resource as a persistent volume with a creator-chosen id. */
export interface Persistence {
  readonly id: string;
  readonly principal?: string;
}

/** VolumeMode is how a task mounts a volume. */
export type VolumeMode = 'RW' | 'RO';

/** Volume is where a persistent volume appears inside the container. */
export interface Volume {
  readonly containerPath: string;
  readonly mode: VolumeMode;
}

/** DiskInfo is set only on `disk` resources. */
export interface DiskInfo {
  readonly persistence?: Persistence;
  readonly volume?: Volume;
  readonly source?: DiskSource;
}

/** diskSourceEqual compares every field of two sources (absent sources are equal ROOT disks). */
export function diskSourceEqual(a: DiskSource | undefined, b: DiskSource | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.type === b.type &&
    a.root === b.root &&
    a.vendor === b.vendor &&
    a.id === b.id &&
    a.profile === b.profile &&
    labelsEqual(a.metadata, b.metadata)
  );
}

/**
 * diskInfoEqual is Mesos's DiskInfo equality: the source and the persistence id. The volume is
 * ignored (it says how one task uses the disk, not what the disk is), and so is the persistence
 * principal.
 */
export function diskInfoEqual(a: DiskInfo | undefined, b: DiskInfo | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return diskSourceEqual(a.source, b.source) && a.persistence?.id === b.persistence?.id;
}

/** validateDiskInfo returns why a disk info is invalid, or undefined. */
export function validateDiskInfo(disk: DiskInfo): string | undefined {
  const source = disk.source;
  if (source !== undefined && source.root !== undefined) {
    switch (source.type) {
      case 'PATH':
      case 'MOUNT':
        break;
      case 'BLOCK':
      case 'RAW':
        return `Root should not be set for ${source.type} disk source`;
      default:
        return assertNever(source.type, 'disk source type');
    }
  }
  if (disk.persistence?.id === '') return 'Persistence id cannot be empty';
  if (disk.volume?.containerPath === '') return 'Volume container path cannot be empty';
  return undefined;
}

/**
 * formatDiskSource prints Mesos's form: `MOUNT:/mnt/1`, `PATH:/data`, or `RAW(vendor,id,profile)`
 * for a source that came from a resource provider.
 */
export function formatDiskSource(s: DiskSource): string {
  if (s.id !== undefined || s.profile !== undefined) {
    return `${s.type}(${s.vendor ?? ''},${s.id ?? ''},${s.profile ?? ''})`;
  }
  return s.root === undefined ? s.type : `${s.type}:${s.root}`;
}

/** formatDiskInfo prints Mesos's form: `MOUNT:/mnt/1,volume-id:/container/path`. */
export function formatDiskInfo(disk: DiskInfo): string {
  const source = disk.source === undefined ? '' : formatDiskSource(disk.source);
  const comma = disk.source !== undefined && disk.persistence !== undefined ? ',' : '';
  const id = disk.persistence?.id ?? '';
  const volume = disk.volume === undefined ? '' : `:${disk.volume.containerPath}`;
  return `${source}${comma}${id}${volume}`;
}
