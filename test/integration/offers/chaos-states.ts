// Which Task and Operation states Mesos allows, given what happened to their agents and the
// framework's PARTITION_AWARE capability (mesos-features §4.2, §5.1, §5.5). Written here from
// Mesos's rules, not imported from the controllers, so the test is an independent oracle.
import type {
  Operation,
  OperationState,
  Task,
  TaskState,
  TaskStatus,
} from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { REJECTED_ANNOTATION } from '../../../controllers/offers/engine/index.ts';
import type { Snapshot } from './chaos-snapshot.ts';

/** Fate is what the scenario did to an agent last: running, lost (process stopped), or gone. */
export type Fate = 'up' | 'lost' | 'gone';

/** RunFacts are what the states are judged by. */
export interface RunFacts {
  readonly partitionAware: boolean;
  readonly fates: ReadonlyMap<string, Fate>;
  /** everUnreachable are the agents the API ever showed Unreachable=True in this run. */
  readonly everUnreachable: ReadonlySet<string>;
}

const TERMINAL_TASK: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

// states Mesos sends only to PARTITION_AWARE frameworks (the others get TASK_LOST instead)
const AWARE_ONLY: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_UNREACHABLE',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);

/** TERMINAL_OPERATION are the operation states that never change. */
export const TERMINAL_OPERATION: ReadonlySet<OperationState> = new Set<OperationState>([
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_GONE_BY_OPERATOR',
]);

const byOperator = (s: TaskStatus | undefined): boolean =>
  s?.reason === 'REASON_AGENT_REMOVED_BY_OPERATOR';

/**
 * isFinalTask: a terminal state, except the TASK_LOST the master sends a non-aware framework for
 * an unreachable agent, which MESOS-7215 lets the agent overturn when it comes back.
 */
export function isFinalTask(s: TaskStatus | undefined): boolean {
  if (s?.state === undefined || !TERMINAL_TASK.has(s.state)) return false;
  return !(s.state === 'TASK_LOST' && s.source === 'SOURCE_MASTER' && !byOperator(s));
}

/** holds tells whether a task may still be using its resources. */
export function holds(t: Task): boolean {
  return t.metadata.annotations?.[REJECTED_ANNOTATION] === undefined && !isFinalTask(t.status);
}

/** taskStateProblem: why a task status is one Mesos never shows, given the run; or undefined. */
export function taskStateProblem(
  t: Task,
  s: TaskStatus | undefined,
  f: RunFacts,
): string | undefined {
  const state = s?.state;
  if (state === undefined) return undefined;
  const what = `task ${t.metadata.name ?? ''} on ${t.spec.agent} is ${state}`;
  if (f.partitionAware && state === 'TASK_LOST')
    return `${what}, but its framework is partition-aware`;
  if (!f.partitionAware && AWARE_ONLY.has(state))
    return `${what}, but its framework is not partition-aware`;
  const lostByMaster = state === 'TASK_LOST' && s?.source === 'SOURCE_MASTER';
  if (state === 'TASK_GONE_BY_OPERATOR' || (lostByMaster && byOperator(s))) {
    if (f.fates.get(t.spec.agent) !== 'gone') return `${what}, but nobody marked the agent gone`;
  } else if (state === 'TASK_UNREACHABLE' || lostByMaster) {
    if (!f.everUnreachable.has(t.spec.agent)) return `${what}, but its agent was never unreachable`;
  }
  return undefined;
}

/** operationStateProblem: why an operation state is one Mesos never shows here; or undefined. */
export function operationStateProblem(op: Operation, f: RunFacts): string | undefined {
  const state = op.status?.state;
  if (state === undefined) return undefined;
  const what = `operation ${op.metadata.name ?? ''} (${op.spec.type}) on ${op.spec.agent} is ${state}`;
  switch (state) {
    case 'OPERATION_RECOVERING':
    case 'OPERATION_UNKNOWN':
      return `${what}, a state of resource providers, which this cluster has none of`;
    case 'OPERATION_FAILED':
      // every operation here is speculative: applied to the records at once, nothing for the
      // agent to refuse; a failure would leave the records and the agent disagreeing
      return `${what}: a speculative operation failed after it was applied`;
    case 'OPERATION_UNREACHABLE':
      return f.everUnreachable.has(op.spec.agent)
        ? undefined
        : `${what}, but its agent was never unreachable`;
    case 'OPERATION_GONE_BY_OPERATOR':
      return f.fates.get(op.spec.agent) === 'gone'
        ? undefined
        : `${what}, but nobody marked the agent gone`;
    case 'OPERATION_PENDING':
    case 'OPERATION_FINISHED':
    case 'OPERATION_ERROR':
    case 'OPERATION_DROPPED':
      return undefined;
    default:
      return assertNever(state, 'operation state');
  }
}

const condition = (s: Snapshot, agent: string, type: string): string | undefined =>
  s.agents.find(a => a.metadata.name === agent)?.status?.conditions?.find(c => c.type === type)
    ?.status;

/**
 * restingProblems lists what is not (yet) as Mesos leaves a cluster at rest, given each agent's
 * fate: answers carried out; offers only on running agents; refused tasks ended; a lost agent
 * Unreachable with its tasks UNREACHABLE (or LOST) and its operations UNREACHABLE; a gone agent's
 * tasks and operations ended and released; a running agent's tasks running or ended and its
 * operations confirmed.
 */
export function restingProblems(s: Snapshot, f: RunFacts): string[] {
  const out: string[] = [];
  for (const o of s.offers) {
    const fate = f.fates.get(o.spec.agent);
    if (o.spec.response !== undefined)
      out.push(`the answer on offer ${o.metadata.name} is not carried out`);
    else if (fate !== 'up')
      out.push(`offer ${o.metadata.name} is open on a ${fate ?? 'foreign'} agent`);
  }
  for (const [agent, fate] of f.fates) {
    const unreachable = condition(s, agent, 'Unreachable') === 'True';
    if (fate === 'lost' && !unreachable) out.push(`lost agent ${agent} is not Unreachable`);
    if (fate === 'up' && unreachable) out.push(`running agent ${agent} is Unreachable`);
  }
  for (const t of s.tasks) {
    const state = t.status?.state ?? 'no state';
    const fate = f.fates.get(t.spec.agent);
    const what = `task ${t.metadata.name ?? ''} on ${t.spec.agent} (${fate ?? '?'})`;
    if (t.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) {
      // a task the control plane refused exists only to say so, in a terminal state
      if (t.status?.state === undefined || !TERMINAL_TASK.has(t.status.state))
        out.push(`refused ${what} is ${state}`);
      continue;
    }
    switch (fate) {
      case 'up':
        if (t.metadata.deletionTimestamp !== undefined) out.push(`${what} is still being killed`);
        else if (state !== 'TASK_RUNNING' && !isFinalTask(t.status))
          out.push(`${what} is ${state}`);
        break;
      case 'lost':
        if (
          ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'no state'].includes(
            state,
          )
        )
          out.push(`${what} is ${state}`);
        break;
      case 'gone':
        if (!isFinalTask(t.status)) out.push(`${what} is ${state}`);
        if ((t.metadata.finalizers ?? []).length > 0) out.push(`${what} keeps its finalizers`);
        break;
      case undefined:
        out.push(`${what}: not an agent of this run`);
        break;
      default:
        assertNever(fate, 'fate');
    }
  }
  for (const op of s.operations) {
    const state = op.status?.state;
    const fate = f.fates.get(op.spec.agent);
    const resting =
      state !== undefined &&
      (TERMINAL_OPERATION.has(state) || (fate === 'lost' && state === 'OPERATION_UNREACHABLE'));
    if (!resting)
      out.push(
        `operation ${op.metadata.name ?? ''} on ${op.spec.agent} (${fate ?? '?'}) is ${state ?? 'without state'}`,
      );
  }
  return out;
}
