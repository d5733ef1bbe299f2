// Mesos's task validation (validation.cpp `task::internal::validateTask` and its resources
// checks) for a Corral task template, up to the point where the offered resources are consulted.
import type { Resource } from '../../../core/resources/index.ts';
import {
  ResourceParseError,
  Resources,
  isAllocatableTo,
  parseResourceMap,
} from '../../../core/resources/index.ts';
import type { TaskTemplate } from '../../../core/types/index.ts';
import { validateTaskTemplate } from '../../../core/validation/index.ts';
import { isObjectName } from './names.ts';
import { validateUniquePersistenceId } from './resource-rules.ts';
import type { WalkContext, WalkState } from './walk-state.ts';

/**
 * TaskNeeds is what a valid task asks for: plain requests, the volumes it mounts, and the Volume
 * record each mount's name resolved to.
 */
export interface TaskNeeds {
  readonly requests: Resources;
  readonly volumes: Resources;
  readonly records: ReadonlyMap<string, string>;
}

/** TaskCheck is a task's needs, or why the task is invalid. */
export type TaskCheck =
  | { readonly ok: true; readonly needs: TaskNeeds }
  | { readonly ok: false; readonly message: string };

/**
 * resolveVolume finds the persistent volume a mount names: a Volume record of the agent (or one
 * this answer created) by name; failing that, the one volume allocatable to the offer's role whose
 * persistence id is the name, so that a LAUNCH can mount a volume a CREATE made in the same
 * answer without knowing its record name.
 */
export function resolveVolume(
  ctx: WalkContext,
  state: WalkState,
  name: string,
): { readonly name: string; readonly resource: Resource } | undefined {
  const byName = state.book.volume(name);
  if (byName !== undefined) return { name, resource: byName };
  const role = ctx.offer.spec.role;
  const byId = state.book
    .volumes()
    .filter(v => v.resource.disk?.persistence?.id === name && isAllocatableTo(v.resource, role));
  return byId.length === 1 ? byId[0] : undefined;
}

function parseRequests(template: TaskTemplate): Resources | string {
  try {
    return parseResourceMap(template.spec.resources, 'resources');
  } catch (e) {
    if (e instanceof ResourceParseError) return `Task uses invalid resources: ${e.message}`;
    throw e;
  }
}

type Mounts = Pick<TaskNeeds, 'volumes' | 'records'>;

function mounts(ctx: WalkContext, state: WalkState, template: TaskTemplate): Mounts | string {
  const found: Resource[] = [];
  const records = new Map<string, string>();
  for (const m of template.spec.volumes ?? []) {
    const name = m.persistentVolume?.name;
    if (name === undefined) continue;
    const v = resolveVolume(ctx, state, name);
    if (v === undefined)
      return `Persistent volume '${name}' does not exist on agent ${ctx.agent.name}`;
    found.push(v.resource);
    records.set(name, v.name);
  }
  const volumes = Resources.from(found);
  const dup =
    validateUniquePersistenceId(volumes) ?? (volumes.size < found.length ? 'twice' : undefined);
  return dup === undefined ? { volumes, records } : `Task uses duplicate persistence ID: ${dup}`;
}

/**
 * checkTask runs Mesos's per-task checks in Mesos's order: a valid id (here: an object name) not
 * used by another non-terminal task of the framework, a valid template (health check, command,
 * limits against requests, volumes: core/validation), valid requests, limits only on an agent
 * with TASK_RESOURCE_LIMITS, mounted volumes that exist with distinct persistence ids, and some
 * resources at all. Whether they fit what is offered is the caller's to check.
 */
export function checkTask(ctx: WalkContext, state: WalkState, template: TaskTemplate): TaskCheck {
  const fail = (message: string): TaskCheck => ({ ok: false, message });
  if (!isObjectName(template.name)) return fail(`Task ID '${template.name}' is not a valid name`);
  if (state.taskNames.has(template.name)) return fail(`Task has duplicate ID: ${template.name}`);
  const [cause] = validateTaskTemplate(template.spec, 'spec');
  if (cause !== undefined)
    return fail(`Task is invalid: ${cause.field ?? 'spec'}: ${cause.message ?? ''}`);
  const requests = parseRequests(template);
  if (typeof requests === 'string') return fail(requests);
  const limits = template.spec.limits ?? {};
  if (Object.keys(limits).length > 0 && !ctx.agent.capabilities.includes('TASK_RESOURCE_LIMITS')) {
    return fail('Agent is not capable of handling task resource limits');
  }
  const mounted = mounts(ctx, state, template);
  if (typeof mounted === 'string') return fail(mounted);
  if (requests.isEmpty() && mounted.volumes.isEmpty()) return fail('Task uses no resources');
  return { ok: true, needs: { requests, ...mounted } };
}
