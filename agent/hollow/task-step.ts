// The whole life of a Task on a hollow agent as one pure function: from the Task as last seen and
// the time, the one step to take now (a finalizer write, a status observation for the real
// agent's TaskStatusWriter, or a wait). Timing is read from the record itself (the
// lastTransitionTime of STARTING and RUNNING), so a restarted hollow process picks up where the
// last one left off. Observations are the real agent's: the same transitions, reasons, messages.
// A launched Task costs two writes in all, its create and its RUNNING, keeping Mesos's order:
//   - it exists TASK_STAGING (the API server sets that status on create) and already holding the
//     agent's finalizer (the offer controller creates it so), so there is nothing to write before
//     the launch; a Task made by hand gets the finalizer first, in one metadata write;
//   - with no start delay, STAGING goes to RUNNING in one status write: STARTING would be on the
//     record for no time at all, and Mesos's order allows it (executors need not send STARTING).
import type { Task, TaskState } from '../../core/types/task.ts';
import type { Observation } from '../status/observation.ts';
import { isFinal } from '../status/transitions.ts';
import { hasFinalizer } from '../sync/finalizers.ts';
import { REJECTED_ANNOTATION } from '../sync/names.ts';
import { RUN_SECONDS_KEY } from './options.ts';

/** HollowTiming is how long a hollow Task takes, unless the Task says otherwise. */
export interface HollowTiming {
  /** startMs from TASK_STARTING to TASK_RUNNING. */
  readonly startMs: number;
  /** runMs from TASK_RUNNING to TASK_FINISHED; 0: until killed. */
  readonly runMs: number;
}

/** HollowStep is what a pass does. */
export type HollowStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'finalizer'; readonly on: boolean }
  | { readonly kind: 'observe'; readonly obs: Observation }
  | { readonly kind: 'wait'; readonly untilMs: number };

const NONE: HollowStep = { kind: 'none' };

const STARTED = new Set<TaskState | undefined>(['TASK_RUNNING', 'TASK_KILLING']);
const OWN = new Set<TaskState | undefined>([undefined, 'TASK_STAGING', 'TASK_STARTING']);

/** hollowContainerId names the container a hollow agent pretends to run. */
export function hollowContainerId(uid: string): string {
  return `hollow-${uid}`;
}

/** runMsOf is the Task's simulated run time: its RUN_SECONDS_KEY annotation or label, or `ms`. */
export function runMsOf(task: Task, ms: number): number {
  const text =
    task.metadata.annotations?.[RUN_SECONDS_KEY] ?? task.metadata.labels?.[RUN_SECONDS_KEY];
  const seconds = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : ms;
}

function since(task: Task, nowMs: number): number {
  const t = Date.parse(task.status?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? nowMs : t;
}

// a container was started: RUNNING or KILLING, or a state the controllers wrote while the agent
// was away over a status that names the container
function wasStarted(task: Task): boolean {
  const s = task.status;
  return (
    STARTED.has(s?.state) || (!OWN.has(s?.state) && s?.containerStatus?.containerId !== undefined)
  );
}

function after(untilMs: number, nowMs: number, obs: Observation): HollowStep {
  return nowMs >= untilMs ? { kind: 'observe', obs } : { kind: 'wait', untilMs };
}

function deleting(task: Task, containerId: string): HollowStep {
  if (!hasFinalizer(task)) return NONE; // never ours to hold
  if (isFinal(task.status)) return { kind: 'finalizer', on: false };
  if (task.status?.state === 'TASK_KILLING') {
    const exit = { exitCode: 143, signal: 'SIGTERM', oomKilled: false } as const;
    return {
      kind: 'observe',
      obs: { type: 'exited', containerId, exit, cause: { kind: 'deleted' } },
    };
  }
  if (wasStarted(task)) return { kind: 'observe', obs: { type: 'killing', containerId } };
  return { kind: 'observe', obs: { type: 'killedBeforeLaunch' } };
}

function running(task: Task, nowMs: number, timing: HollowTiming, containerId: string): HollowStep {
  const from = since(task, nowMs);
  const runMs = runMsOf(task, timing.runMs);
  const max = task.spec.maxCompletionTimeSeconds;
  if (max !== undefined && (runMs === 0 || runMs > max * 1000)) {
    // Mesos kills a task still running after its max completion time: TASK_FAILED
    const exit = { exitCode: 137, signal: 'SIGKILL', oomKilled: false } as const;
    const cause = { kind: 'maxCompletion', seconds: max } as const;
    return after(from + max * 1000, nowMs, { type: 'exited', containerId, exit, cause });
  }
  if (runMs === 0) return NONE;
  const exit = { exitCode: 0, oomKilled: false } as const;
  return after(from + runMs, nowMs, { type: 'exited', containerId, exit });
}

/** hollowStep is the next step for `task` at `nowMs` (the Task as the agent last saw it). */
export function hollowStep(task: Task, nowMs: number, timing: HollowTiming): HollowStep {
  if (task.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) return NONE;
  const containerId = hollowContainerId(task.metadata.uid ?? '');
  if (task.metadata.deletionTimestamp !== undefined) return deleting(task, containerId);
  if (isFinal(task.status)) return NONE;
  // no finalizer: a Task made by hand (a launched one is created holding it); no state at all: a
  // Task stored before the server set TASK_STAGING on create, taken as if it were STAGING
  if (!hasFinalizer(task)) return { kind: 'finalizer', on: true };
  const state = task.status?.state;
  if (state === 'TASK_STARTING') {
    return after(since(task, nowMs) + timing.startMs, nowMs, { type: 'running', containerId });
  }
  if (state === 'TASK_RUNNING') return running(task, nowMs, timing, containerId);
  // only a deletion makes a hollow agent kill; a KILLING found without one ends the same way
  if (state === 'TASK_KILLING') return deleting(task, containerId);
  if (wasStarted(task) || timing.startMs === 0) {
    return { kind: 'observe', obs: { type: 'running', containerId } };
  }
  return { kind: 'observe', obs: { type: 'starting' } };
}
