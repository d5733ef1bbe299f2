// Checks on list-form resources shared by the kinds: parse with core/resources (which applies
// Mesos's per-resource rules) and report each failure as a cause at its field.
import type { Resource, Resources } from '../resources/index.ts';
import { parseResourceList, parseResourceSpec } from '../resources/index.ts';
import type { ResourceItem } from '../types/resources.ts';
import type { Site } from './causes.ts';
import { at, capture, invalid, required } from './causes.ts';

/** resourceList parses a resource list (Mesos rules per resource), or records why it cannot. */
export function resourceList(
  site: Site,
  items: readonly ResourceItem[] | undefined,
): Resources | undefined {
  return capture(site.out, () => parseResourceList(items ?? [], site.field));
}

/** resourceItem parses one list-form resource, or records why it cannot. */
export function resourceItem(site: Site, item: ResourceItem): Resource | undefined {
  return capture(site.out, () => parseResourceSpec(item, site.field));
}

/** eachItem runs a check on every item of a resource list, each at its own index. */
export function eachItem(
  site: Site,
  items: readonly ResourceItem[] | undefined,
  check: (item: ResourceItem, site: Site) => void,
): void {
  (items ?? []).forEach((item, i) => check(item, at(site, `[${i}]`)));
}

/**
 * checkReservedFor requires a non-empty reservation stack whose top entry is DYNAMIC and, when
 * `role` is given, reserves for it.
 */
export function checkReservedFor(site: Site, item: ResourceItem, role?: string): void {
  const stack = item.reservations ?? [];
  const top = stack.at(-1);
  if (top === undefined) {
    site.out.push(required(`${site.field}.reservations`, 'the resource must be reserved'));
    return;
  }
  const where = `${site.field}.reservations[${stack.length - 1}]`;
  if (top.type !== 'DYNAMIC') {
    site.out.push(invalid(`${where}.type`, top.type, 'the top reservation must be DYNAMIC'));
  }
  if (role !== undefined && top.role !== role) {
    site.out.push(invalid(`${where}.role`, top.role, `must be the role ${JSON.stringify(role)}`));
  }
}

/** checkPersistentVolume requires a disk resource with persistence info. */
export function checkPersistentVolume(site: Site, item: ResourceItem): void {
  if (item.name !== 'disk') {
    site.out.push(invalid(`${site.field}.name`, item.name, 'a volume is a disk resource'));
  }
  if (item.disk?.persistence === undefined) {
    const detail = 'a persistent volume needs a persistence id';
    site.out.push(required(`${site.field}.disk.persistence`, detail));
  }
}
