// Mesos's validation of the resources an operation names (src/master/validation.cpp, namespace
// `resource`): disk infos, revocable reservations, a single resource provider, persistent volumes
// and unique persistence ids. Each check returns Mesos's message, or undefined.
import type { Resource, Resources } from '../../../core/resources/index.ts';
import {
  formatResource,
  isDynamicallyReserved,
  isUnreserved,
  reservationRole,
} from '../../../core/resources/index.ts';
import type { AgentCapability, FrameworkCapability } from '../../../core/types/index.ts';

/** RuleContext is who asks and where: the framework path has `framework`, the operator's not. */
export interface RuleContext {
  readonly agent: { readonly name: string; readonly capabilities: readonly AgentCapability[] };
  /** principal is the authenticated principal; Mesos compares it only when there is one. */
  readonly principal?: string;
  readonly framework?: {
    readonly name: string;
    readonly roles: readonly string[];
    readonly capabilities: readonly FrameworkCapability[];
  };
  /** role is the offer's allocation role, on the framework path. */
  readonly role?: string;
}

/** hasAgentCap reports an agent capability. */
export function hasAgentCap(ctx: RuleContext, cap: AgentCapability): boolean {
  return ctx.agent.capabilities.includes(cap);
}

/** validateId is Mesos common::validation::validateID: the rules for ids mapped to paths. */
export function validateId(id: string): string | undefined {
  if (id === '') return 'ID must not be empty';
  if (id.length > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return `'${id}' is disallowed`;
  // Control characters and path separators: ids become directory names on the agent.
  const bad = Array.from(id).some(c => c === '/' || c === '\\' || c < ' ' || c === '\u007f');
  if (bad) return `'${id}' contains invalid characters`;
  return undefined;
}

function diskInfoError(r: Resource): string | undefined {
  const disk = r.disk;
  if (disk === undefined) return undefined;
  if (disk.persistence !== undefined) {
    if (r.revocable) return 'Persistent volumes cannot be created from revocable resources';
    if (isUnreserved(r)) return 'Persistent volumes cannot be created from unreserved resources';
    if (disk.volume === undefined) return "Expecting 'volume' to be set for persistent volume";
    const bad = validateId(disk.persistence.id);
    return bad === undefined ? undefined : `Invalid persistence ID for persistent volume: ${bad}`;
  }
  if (disk.volume !== undefined) return 'Non-persistent volume not supported';
  if (disk.source === undefined) return 'DiskInfo is set but empty';
  return undefined;
}

/**
 * validateResources is Mesos resource::validate beyond what parsing checked: disk infos are
 * usable (a volume is reserved, has a mount point and a valid id) and nothing revocable is
 * dynamically reserved.
 */
export function validateResources(resources: Resources): string | undefined {
  for (const r of resources) {
    const bad = diskInfoError(r);
    if (bad !== undefined) return `Invalid DiskInfo: ${bad}`;
  }
  for (const r of resources) {
    if (isDynamicallyReserved(r) && r.revocable) {
      return `Invalid ReservationInfo: Dynamically reserved resource ${formatResource(r)} cannot be created from revocable resources`;
    }
  }
  return undefined;
}

/** validateSingleProvider: an operation's resources all come from one provider (or the agent). */
export function validateSingleProvider(resources: Resources): string | undefined {
  const ids = new Set(resources.toArray().map(r => r.providerId));
  if (ids.size <= 1) return undefined;
  if (ids.has(undefined)) return 'Some resources have a resource provider and some do not';
  return `The resources have multiple resource providers: ${[...ids].join(', ')}`;
}

/** validateOperationResources runs both checks with Mesos's "Invalid resources: " prefix. */
export function validateOperationResources(resources: Resources): string | undefined {
  const bad = validateResources(resources) ?? validateSingleProvider(resources);
  return bad === undefined ? undefined : `Invalid resources: ${bad}`;
}

/** validatePersistentVolume: each resource is a persistent volume with a RW mount point. */
export function validatePersistentVolume(volumes: Resources): string | undefined {
  for (const v of volumes) {
    if (v.disk === undefined) return `Resource ${formatResource(v)} does not have DiskInfo`;
    if (v.disk.persistence === undefined) return "'persistence' is not set in DiskInfo";
    if (v.disk.volume === undefined) return "Expecting 'volume' to be set for persistent volume";
    if (v.disk.volume.mode === 'RO') return 'Read-only persistent volume not supported';
  }
  return undefined;
}

/** validateUniquePersistenceId: persistence ids are unique per role (on one agent). */
export function validateUniquePersistenceId(resources: Resources): string | undefined {
  const seen = new Set<string>();
  for (const { resource: v, count } of resources.persistentVolumes().entries()) {
    const key = `${reservationRole(v) ?? ''}\0${v.disk?.persistence?.id ?? ''}`;
    if (seen.has(key) || count > 1) {
      return `Persistence ID '${v.disk?.persistence?.id ?? ''}' is not unique`;
    }
    seen.add(key);
  }
  return undefined;
}
