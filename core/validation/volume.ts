// Cross-field rules of a Volume (mesos-features §3.2, Mesos CREATE validation).
import type { StatusCause } from '../errors/index.ts';
import type { VolumeSpec } from '../types/volume.ts';
import { invalid, required } from './causes.ts';
import { checkPersistentVolume, resourceItem } from './resource-items.ts';

/**
 * validateVolume checks what Mesos's CREATE validation checks without cluster state: a valid disk
 * resource with a scalar size, a persistence id and a container path, reserved (statically or
 * dynamically) for spec.role, not revocable, created read-write, and not on a RAW disk (turn it
 * into MOUNT or BLOCK with CREATE_DISK first). Uniqueness of the persistence id per role and agent
 * needs cluster state and is the operation controller's. The API server must call this in
 * admission for every Volume create and update.
 */
export function validateVolume(spec: VolumeSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const r = spec.resource;
  const site = { out, field: 'spec.resource' };
  const f = site.field;
  resourceItem(site, r);
  checkPersistentVolume(site, r);
  if (r.scalar === undefined) out.push(required(`${f}.scalar`, 'the volume size'));
  const stack = r.reservations ?? [];
  const top = stack.at(-1);
  if (top === undefined) {
    const detail = 'persistent volumes cannot be created from unreserved resources';
    out.push(required(`${f}.reservations`, detail));
  } else if (top.role !== spec.role) {
    const detail = `must be spec.role ${JSON.stringify(spec.role)}`;
    out.push(invalid(`${f}.reservations[${stack.length - 1}].role`, top.role, detail));
  }
  if (r.revocable === true) {
    out.push(invalid(`${f}.revocable`, true, 'persistent volumes cannot be revocable'));
  }
  if (r.disk?.volume === undefined) {
    out.push(required(`${f}.disk.volume`, 'the container path the volume is mounted at'));
  } else if (r.disk.volume.mode === 'RO') {
    const detail = 'volumes are created RW; a task may mount one RO';
    out.push(invalid(`${f}.disk.volume.mode`, 'RO', detail));
  }
  if (r.disk?.source?.type === 'RAW') {
    out.push(invalid(`${f}.disk.source.type`, 'RAW', 'a RAW disk needs CREATE_DISK first'));
  }
  return out;
}
