// Mesos's validation of CREATE, DESTROY, GROW_VOLUME and SHRINK_VOLUME (validation.cpp
// `operation::validate`), shared by the scheduler path and the operator path.
import type { Resource, Scalar } from '../../../core/resources/index.ts';
import { Resources, formatResource, isDisk } from '../../../core/resources/index.ts';
import { scalarOf, stripVolume } from './conversions.ts';
import { capabilityErrorFor } from './reserve-rules.ts';
import type { RuleContext } from './resource-rules.ts';
import {
  hasAgentCap,
  validateOperationResources,
  validatePersistentVolume,
  validateUniquePersistenceId,
} from './resource-rules.ts';
import type { TaskUse } from './types.ts';

function volumeFields(volumes: Resources): string | undefined {
  if (volumes.isEmpty()) return 'Invalid resources: Resources cannot be empty';
  const bad = validateOperationResources(volumes);
  if (bad !== undefined) return bad;
  const notVolume = validatePersistentVolume(volumes);
  return notVolume === undefined ? undefined : `Not a persistent volume: ${notVolume}`;
}

function createPrincipalError(v: Resource, principal: string | undefined): string | undefined {
  if (principal === undefined) return undefined;
  const owner = v.disk?.persistence?.principal;
  if (owner === undefined) {
    return `Create volume operation attempted by principal '${principal}', but there is a volume in the operation with no principal set in 'disk.persistence'`;
  }
  if (owner !== principal) {
    return `Create volume operation attempted by authenticated principal '${principal}', which does not match a volume in the operation with principal '${owner}' set in 'disk.persistence'`;
  }
  return undefined;
}

/**
 * validateCreate checks a CREATE: valid persistent volumes (reserved, RW, a mount point), their
 * persistence ids unique per role across `checkpointed` (the agent's volumes) and themselves, a
 * shared volume only for a framework with SHARED_RESOURCES, the agent's role capabilities, and
 * the authenticated principal on each volume.
 */
export function validateCreate(
  volumes: Resources,
  ctx: RuleContext,
  checkpointed: Resources,
): string | undefined {
  const bad = volumeFields(volumes) ?? validateUniquePersistenceId(checkpointed.add(volumes));
  if (bad !== undefined) return bad;
  for (const v of volumes) {
    const fw = ctx.framework;
    if (fw !== undefined && v.shared && !fw.capabilities.includes('SHARED_RESOURCES')) {
      return `Create volume operation for '${formatResource(v)}' has been attempted by framework '${fw.name}' with no SHARED_RESOURCES capability`;
    }
    const err = capabilityErrorFor(v, ctx) ?? createPrincipalError(v, ctx.principal);
    if (err !== undefined) return err;
  }
  return undefined;
}

/**
 * validateDestroy checks a DESTROY: valid persistent volumes that exist in `checkpointed` and
 * that no task in `users` holds (Mesos checks every framework's used resources; that matters
 * for shared volumes, which stay offered while in use).
 */
export function validateDestroy(
  volumes: Resources,
  checkpointed: Resources,
  users: readonly TaskUse[],
): string | undefined {
  const bad = volumeFields(volumes);
  if (bad !== undefined) return bad;
  for (const v of volumes) {
    if (v.providerId === undefined && !checkpointed.contains(Resources.of(v))) {
      return 'Persistent volumes not found';
    }
  }
  for (const task of users) {
    for (const v of volumes) {
      if (task.resources.contains(Resources.of(v))) {
        return `Persistent volumes in use: ${formatResource(v)} by task ${task.name}`;
      }
    }
  }
  return undefined;
}

function resizable(volume: Resource, field: string, verb: string): string | undefined {
  if (volume.providerId !== undefined) {
    return `${verb} a volume from a resource provider is not supported`;
  }
  const bad = validatePersistentVolume(Resources.of(volume));
  if (bad !== undefined) return `Invalid persistent volume in the '${field}' field: ${bad}`;
  if (volume.shared) return `${verb} a shared persistent volume is not supported`;
  return undefined;
}

/**
 * validateGrow checks a GROW_VOLUME: a positive addition, an unshared persistent volume not from
 * a provider, an addition that merges with the stripped volume into one resource (same
 * reservations and disk source; MOUNT never merges), and an agent with RESIZE_VOLUME.
 */
export function validateGrow(
  volume: Resource,
  addition: Resource,
  ctx: RuleContext,
): string | undefined {
  const extra = scalarOf(addition);
  if (extra === undefined || extra <= 0n) {
    return "The size of 'GrowVolume.addition' field must be greater than zero";
  }
  const bad = resizable(volume, 'GrowVolume.volume', 'Growing');
  if (bad !== undefined) return bad;
  if (Resources.of(stripVolume(volume)).add(addition).size !== 1) {
    return "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields";
  }
  if (!hasAgentCap(ctx, 'RESIZE_VOLUME')) {
    return `Volume ${formatResource(volume)} cannot be grown on an agent without RESIZE_VOLUME capability`;
  }
  return undefined;
}

/**
 * validateShrink checks a SHRINK_VOLUME: 0 < subtract < size, an unshared persistent volume not
 * from a provider and not on a MOUNT disk, and an agent with RESIZE_VOLUME.
 */
export function validateShrink(
  volume: Resource,
  subtract: Scalar,
  ctx: RuleContext,
): string | undefined {
  if (subtract <= 0n) return "Value of 'ShrinkVolume.subtract' must be greater than zero";
  const size = scalarOf(volume);
  if (size === undefined || size <= subtract) {
    return "Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'";
  }
  if (volume.providerId !== undefined) {
    return 'Shrinking a volume from a resource provider is not supported';
  }
  if (isDisk(volume, 'MOUNT')) return 'Shrinking a volume on a MOUNT disk is not supported';
  const bad = resizable(volume, 'ShrinkVolume.volume', 'Shrinking');
  if (bad !== undefined) return bad;
  if (!hasAgentCap(ctx, 'RESIZE_VOLUME')) {
    return `Volume ${formatResource(volume)} cannot be shrunk on an agent without RESIZE_VOLUME capability`;
  }
  return undefined;
}
