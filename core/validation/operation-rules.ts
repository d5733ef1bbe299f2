// Mesos's per-type checks of resource operations that need no cluster state
// (src/master/validation.cpp; mesos-features §2.2, §3.2, §3.3, §10.2).
import type { OperationPayload, OperationType } from '../types/operation.ts';
import type { ResourceItem } from '../types/resources.ts';
import { assertNever } from '../util/assert-never.ts';
import type { Site } from './causes.ts';
import { amount, at, forbidden, invalid, required } from './causes.ts';
import {
  checkPersistentVolume,
  checkReservedFor,
  eachItem,
  resourceItem,
  resourceList,
} from './resource-items.ts';

function checkReserve(s: Site, r: ResourceItem): void {
  checkReservedFor(s, r);
  if (r.revocable === true) {
    s.out.push(invalid(`${s.field}.revocable`, true, 'revocable resources cannot be reserved'));
  }
}

function checkUnreserve(s: Site, r: ResourceItem): void {
  checkReservedFor(s, r);
  if (r.disk?.persistence !== undefined) {
    const detail = 'destroy the persistent volume before unreserving it';
    s.out.push(forbidden(`${s.field}.disk.persistence`, detail));
  }
}

function checkCreate(s: Site, r: ResourceItem): void {
  const f = s.field;
  checkPersistentVolume(s, r);
  if ((r.reservations ?? []).length === 0) {
    const detail = 'persistent volumes cannot be created from unreserved resources';
    s.out.push(required(`${f}.reservations`, detail));
  }
  if (r.disk?.volume === undefined) s.out.push(required(`${f}.disk.volume`, 'the container path'));
  else if (r.disk.volume.mode === 'RO') {
    s.out.push(invalid(`${f}.disk.volume.mode`, 'RO', 'read-only persistent volume not supported'));
  }
  if (r.revocable === true) {
    s.out.push(invalid(`${f}.revocable`, true, 'persistent volumes cannot be revocable'));
  }
}

// checkResizable: only an unshared ROOT or PATH volume, not from a provider, grows or shrinks.
function checkResizable(s: Site, v: ResourceItem, verb: string): void {
  const f = s.field;
  checkPersistentVolume(s, v);
  if (v.shared === true)
    s.out.push(invalid(`${f}.shared`, true, `${verb} a shared volume is not supported`));
  if (v.providerId !== undefined) {
    const detail = `${verb} a volume from a resource provider is not supported`;
    s.out.push(forbidden(`${f}.providerId`, detail));
  }
  const source = v.disk?.source?.type;
  if (source !== undefined && source !== 'ROOT' && source !== 'PATH') {
    const detail = `${verb} is only supported for ROOT and PATH volumes`;
    s.out.push(invalid(`${f}.disk.source.type`, source, detail));
  }
}

function checkGrow(s: Site, g: NonNullable<OperationPayload['growVolume']>): void {
  resourceItem(at(s, 'volume'), g.volume);
  resourceItem(at(s, 'addition'), g.addition);
  checkResizable(at(s, 'volume'), g.volume, 'growing');
  if (g.addition.name !== 'disk') {
    s.out.push(invalid(`${s.field}.addition.name`, g.addition.name, 'the addition is disk'));
  }
  const add = amount(at(s, 'addition.scalar'), 'disk', g.addition.scalar ?? 0);
  if (add === 0n) {
    s.out.push(invalid(`${s.field}.addition.scalar`, g.addition.scalar ?? 0, 'must be above 0'));
  }
}

function checkShrink(s: Site, op: NonNullable<OperationPayload['shrinkVolume']>): void {
  resourceItem(at(s, 'volume'), op.volume);
  checkResizable(at(s, 'volume'), op.volume, 'shrinking');
  const size = amount({ out: [], field: '' }, 'disk', op.volume.scalar ?? 0);
  const sub = amount(at(s, 'subtract'), 'disk', op.subtract);
  if (sub === 0n || (sub !== undefined && size !== undefined && sub >= size)) {
    const detail = 'must be greater than 0 and less than the volume size';
    s.out.push(invalid(`${s.field}.subtract`, op.subtract, detail));
  }
}

function checkProviderDisk(s: Site, r: ResourceItem): void {
  resourceItem(s, r);
  if (r.providerId === undefined) {
    s.out.push(required(`${s.field}.providerId`, "'source' is not managed by a resource provider"));
  }
}

function checkCreateDisk(s: Site, c: NonNullable<OperationPayload['createDisk']>): void {
  checkProviderDisk(at(s, 'source'), c.source);
  const src = c.source.disk?.source;
  if (src?.type !== 'RAW') {
    const field = `${s.field}.source.disk.source.type`;
    s.out.push(invalid(field, src?.type ?? 'ROOT', "'source' is not a RAW disk resource"));
  }
  if (src?.profile !== undefined && c.targetProfile !== undefined) {
    s.out.push(
      forbidden(`${s.field}.targetProfile`, "must not be set when 'source' has a profile"),
    );
  } else if (src?.profile === undefined && c.targetProfile === undefined) {
    s.out.push(required(`${s.field}.targetProfile`, "must be set when 'source' has no profile"));
  }
}

function checkDestroyDisk(s: Site, d: NonNullable<OperationPayload['destroyDisk']>): void {
  const source = at(s, 'source');
  checkProviderDisk(source, d.source);
  const src = d.source.disk?.source;
  if (src === undefined || src.type === 'ROOT' || src.type === 'PATH') {
    const field = `${source.field}.disk.source.type`;
    s.out.push(invalid(field, src?.type ?? 'ROOT', 'must be a MOUNT, BLOCK or RAW disk'));
  } else if (src.id === undefined) {
    const detail = 'only a CSI volume (one with an id) can be destroyed';
    s.out.push(required(`${source.field}.disk.source.id`, detail));
  }
}

/**
 * checkOperationRules applies Mesos's validation for `type` to its payload member; `site` is the
 * object holding the payload (a missing member is reported by checkMembers, not here).
 */
export function checkOperationRules(site: Site, type: OperationType, op: OperationPayload): void {
  switch (type) {
    case 'RESERVE':
      resourceList(at(site, 'reserve.resources'), op.reserve?.resources);
      return eachItem(at(site, 'reserve.resources'), op.reserve?.resources, (r, s) =>
        checkReserve(s, r),
      );
    case 'UNRESERVE':
      resourceList(at(site, 'unreserve.resources'), op.unreserve?.resources);
      return eachItem(at(site, 'unreserve.resources'), op.unreserve?.resources, (r, s) =>
        checkUnreserve(s, r),
      );
    case 'CREATE':
      resourceList(at(site, 'create.volumes'), op.create?.volumes);
      return eachItem(at(site, 'create.volumes'), op.create?.volumes, (r, s) => checkCreate(s, r));
    case 'DESTROY':
      resourceList(at(site, 'destroy.volumes'), op.destroy?.volumes);
      return eachItem(at(site, 'destroy.volumes'), op.destroy?.volumes, (r, s) =>
        checkPersistentVolume(s, r),
      );
    case 'GROW_VOLUME':
      if (op.growVolume !== undefined) checkGrow(at(site, 'growVolume'), op.growVolume);
      return;
    case 'SHRINK_VOLUME':
      if (op.shrinkVolume !== undefined) checkShrink(at(site, 'shrinkVolume'), op.shrinkVolume);
      return;
    case 'CREATE_DISK':
      if (op.createDisk !== undefined) checkCreateDisk(at(site, 'createDisk'), op.createDisk);
      return;
    case 'DESTROY_DISK':
      if (op.destroyDisk !== undefined) checkDestroyDisk(at(site, 'destroyDisk'), op.destroyDisk);
      return;
    default:
      assertNever(type, 'operation type');
  }
}
