// LAUNCH and LAUNCH_GROUP (Mesos Master::_accept): each LAUNCH task is checked and placed on its
// own, and an invalid one does not stop the others; a LAUNCH_GROUP launches all its tasks or none.
import { Resources, pickResources } from '../../../core/resources/index.ts';
import type { OfferOperation, TaskReason, TaskTemplate } from '../../../core/types/index.ts';
import { recordName } from './names.ts';
import { taskObject } from './record-objects.ts';
import type { TaskNeeds } from './task-checks.ts';
import { checkTask } from './task-checks.ts';
import type { TaskResult } from './types.ts';
import type { WalkContext, WalkState } from './walk-state.ts';

// a launched task's first state: the API server sets it as the Task is created (the plan keeps it
// for the answer's feedback; the writer has no `/status` write to make for it)
const STAGING = { state: 'TASK_STAGING', source: 'SOURCE_MASTER' } as const;

function revocableAllowed(ctx: WalkContext): boolean {
  return ctx.framework.capabilities.includes('REVOCABLE_RESOURCES');
}

// place picks exact resources for the task from `available`, or says why they do not fit.
function place(ctx: WalkContext, needs: TaskNeeds, available: Resources): Resources | undefined {
  const picked = pickResources(available, needs.requests, { revocable: revocableAllowed(ctx) });
  if (picked === undefined) return undefined;
  const total = picked.add(needs.volumes);
  return available.contains(total) ? total : undefined;
}

function tooMuch(
  needs: Pick<TaskNeeds, 'requests' | 'volumes'>,
  available: Resources,
  what: string,
): string {
  const total = needs.requests.add(needs.volumes);
  return `Total resources ${total.toString()} required by ${what} more than available ${available.toString()}`;
}

/** Rejection is why a task of operation `index` gets TASK_ERROR. */
interface Rejection {
  readonly index: number;
  readonly reason: TaskReason;
  readonly message: string;
}

// reject reports TASK_ERROR through a record: under the task's name, or, when another Task holds
// that name (Mesos's duplicate ID), through a stand-in the framework sees all the same.
function reject(
  ctx: WalkContext,
  state: WalkState,
  template: TaskTemplate,
  why: Rejection,
): TaskResult {
  const { index, ...cause } = why;
  const status = { state: 'TASK_ERROR', source: 'SOURCE_MASTER', ...cause } as const;
  const taken = state.taskNames.has(template.name);
  state.book.rejectTask(taskObject(ctx.where, { template, status }), index, taken);
  return { name: template.name, ...status };
}

/**
 * Placed is where a task of operation `index` goes: the exact resources, its group, the Volume
 * records it mounts.
 */
interface Placed {
  readonly index: number;
  readonly resources: Resources;
  readonly records: ReadonlyMap<string, string>;
  readonly group?: string;
}

// pinMounts names each mounted volume by its Volume record (a mount may name a persistence id).
function pinMounts(template: TaskTemplate, records: ReadonlyMap<string, string>): TaskTemplate {
  const volumes = template.spec.volumes?.map(m => {
    const pv = m.persistentVolume;
    const name = pv === undefined ? undefined : records.get(pv.name);
    return name === undefined ? m : { ...m, persistentVolume: { name } };
  });
  return volumes === undefined ? template : { ...template, spec: { ...template.spec, volumes } };
}

// commit makes the task hold its resources: out of the remaining offer, into the used resources.
function commit(
  ctx: WalkContext,
  state: WalkState,
  template: TaskTemplate,
  placed: Placed,
): TaskResult {
  // Tasks may share one offered copy of a shared volume (Mesos: the extra copies are allocated
  // on the spot, a conversion from nothing).
  const { resources, group } = placed;
  const additional = resources.shared().subtract(state.remaining.shared());
  if (!additional.isEmpty())
    state.conversions.push({ consumed: Resources.EMPTY, converted: additional });
  state.remaining = state.remaining.subtract(resources);
  state.used = state.used.add(resources);
  const { namespace, offer } = ctx.where;
  state.users.push({
    name: `${namespace}/${template.name}`,
    offer: `${namespace}/${offer}`,
    resources,
  });
  state.taskNames.add(template.name);
  const pinned = pinMounts(template, placed.records);
  const where = group === undefined ? { resources } : { resources, group };
  state.book.task(
    taskObject(ctx.where, { template: pinned, ...where, status: STAGING }),
    placed.index,
  );
  return { name: template.name, ...STAGING };
}

/** launch runs a LAUNCH: each task is validated against what remains and launched or rejected. */
export function launch(
  ctx: WalkContext,
  state: WalkState,
  op: OfferOperation,
  index: number,
): void {
  const tasks = op.launch?.tasks ?? [];
  const results: TaskResult[] = [];
  const invalid = (message: string): Rejection => ({
    index,
    reason: 'REASON_TASK_INVALID',
    message,
  });
  for (const template of tasks) {
    if (op.id !== undefined) {
      const message = 'The `id` field cannot be set on LAUNCH operations';
      results.push(reject(ctx, state, template, invalid(message)));
      continue;
    }
    // Shared volumes count once however many tasks of the answer use them (Mesos).
    const available = state.remaining.nonShared().add(state.remainingShared);
    const check = checkTask(ctx, state, template);
    const resources = check.ok ? place(ctx, check.needs, available) : undefined;
    if (check.ok && resources !== undefined) {
      const placed = { index, resources, records: check.needs.records };
      results.push(commit(ctx, state, template, placed));
      continue;
    }
    const message = check.ok ? tooMuch(check.needs, available, 'task is') : check.message;
    results.push(reject(ctx, state, template, invalid(message)));
  }
  state.results.push({ kind: 'launch', index, type: 'LAUNCH', tasks: results });
}

// planGroup places every task of a group, or gives the first reason the group cannot launch.
function planGroup(
  ctx: WalkContext,
  state: WalkState,
  op: { readonly index: number; readonly tasks: readonly TaskTemplate[] },
): Placed[] | string {
  const { index, tasks } = op;
  if (tasks.length === 0) return [];
  const names = state.taskNames.fork();
  const needs: TaskNeeds[] = [];
  for (const t of tasks) {
    const check = checkTask(ctx, { ...state, taskNames: names }, t);
    if (!check.ok) return `Task '${t.name}' is invalid: ${check.message}`;
    names.add(t.name);
    needs.push(check.needs);
  }
  const requests = needs.map(n => n.requests);
  const summed = requests.reduce((q, r) => q.add(r.toQuantities()), Resources.EMPTY.toQuantities());
  if (!Resources.sum(requests).toQuantities().equals(summed)) {
    return `There are overlapping resources in the task group's task resources ${requests.map(r => r.toString()).join(', ')}`;
  }
  // Mesos checks the group against the remaining resources only: a group gets no extra copies
  // of a shared volume.
  let available = state.remaining;
  const placed: Placed[] = [];
  for (const n of needs) {
    const got = place(ctx, n, available);
    if (got === undefined) {
      const total = {
        requests: Resources.sum(requests),
        volumes: Resources.sum(needs.map(x => x.volumes)),
      };
      return tooMuch(total, state.remaining, 'task group are');
    }
    placed.push({ index, resources: got, records: n.records });
    available = available.subtract(got);
  }
  return placed;
}

/** launchGroup runs a LAUNCH_GROUP: every task launches, or every task gets TASK_ERROR. */
export function launchGroup(
  ctx: WalkContext,
  state: WalkState,
  op: OfferOperation,
  index: number,
): void {
  const tasks = op.launchGroup?.tasks ?? [];
  const plan =
    op.id === undefined
      ? planGroup(ctx, state, { index, tasks })
      : 'The `id` field cannot be set on LAUNCH_GROUP operations';
  let results: TaskResult[];
  if (typeof plan === 'string') {
    const why = { index, reason: 'REASON_TASK_GROUP_INVALID', message: plan } as const;
    results = tasks.map(t => reject(ctx, state, t, why));
  } else {
    const group = recordName('TaskGroup', state.book.offer, index);
    const none: Placed = { index, resources: Resources.EMPTY, records: new Map() };
    results = tasks.map((t, i) => commit(ctx, state, t, { ...(plan[i] ?? none), group }));
  }
  state.results.push({ kind: 'launch', index, type: 'LAUNCH_GROUP', tasks: results });
}
