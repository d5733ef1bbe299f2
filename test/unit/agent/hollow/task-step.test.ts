import { expect } from 'chai';
import type { Task, TaskState, TaskStatus } from '../../../../core/types/task.ts';
import type { HollowStep } from '../../../../agent/hollow/task-step.ts';
import { hollowStep, runMsOf } from '../../../../agent/hollow/task-step.ts';
import { RUN_SECONDS_KEY } from '../../../../agent/hollow/options.ts';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const timing = { startMs: 100, runMs: 30_000 };
const held = ['corral.dev/agent'];

interface TaskInit {
  readonly status?: TaskStatus;
  readonly finalizers?: string[];
  readonly deleting?: boolean;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly maxSeconds?: number;
  /** createdMs is the creationTimestamp, ms after T0 (absent: none). */
  readonly createdMs?: number;
}

function task(i: TaskInit = {}): Task {
  return {
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Task',
    metadata: {
      name: 't',
      namespace: 'ns',
      uid: 'u1',
      ...(i.finalizers === undefined ? {} : { finalizers: i.finalizers }),
      ...(i.deleting === true ? { deletionTimestamp: at(0) } : {}),
      ...(i.annotations === undefined ? {} : { annotations: i.annotations }),
      ...(i.labels === undefined ? {} : { labels: i.labels }),
      ...(i.createdMs === undefined ? {} : { creationTimestamp: at(i.createdMs) }),
    },
    spec: {
      agent: 'hollow-p-0',
      framework: 'f',
      role: 'r',
      resources: {},
      ...(i.maxSeconds === undefined ? {} : { maxCompletionTimeSeconds: i.maxSeconds }),
    },
    ...(i.status === undefined ? {} : { status: i.status }),
  };
}

const state = (s: TaskState, sinceMs = 0, extra: TaskStatus = {}): TaskStatus => ({
  state: s,
  lastTransitionTime: at(sinceMs),
  ...extra,
});

// what a step amounts to, in a word a table can hold
function summary(step: HollowStep): string {
  switch (step.kind) {
    case 'none':
      return 'none';
    case 'wait':
      return `wait ${step.untilMs - T0}`;
    case 'finalizer':
      return step.on ? 'finalizer on' : 'finalizer off';
    case 'observe': {
      const o = step.obs;
      if (o.type !== 'exited') return o.type;
      return `exited ${o.exit.exitCode}${o.cause === undefined ? '' : ` ${o.cause.kind}`}`;
    }
  }
}

describe('hollowStep: the life of a Task on a hollow agent', () => {
  const cases: [string, Task, number, string][] = [
    ['holds a new Task with the finalizer first', task(), 0, 'finalizer on'],
    [
      'starts a held STAGING Task',
      task({ finalizers: held, status: state('TASK_STAGING') }),
      0,
      'starting',
    ],
    [
      'starts a launched Task, created STAGING and holding the finalizer, at once: no metadata write',
      task({ createdMs: 0, finalizers: held, status: state('TASK_STAGING') }),
      0,
      'starting',
    ],
    ['starts a held Task with no status yet', task({ finalizers: held }), 0, 'starting'],
    [
      'takes a Task without any status (stored before the server set STAGING) at once, holding it first',
      task({ createdMs: 0 }),
      10,
      'finalizer on',
    ],
    [
      'takes a Task made by hand (STAGING from the server, no finalizer) at once, holding it first',
      task({ createdMs: 0, status: state('TASK_STAGING') }),
      10,
      'finalizer on',
    ],
    [
      'waits out the start delay',
      task({ finalizers: held, status: state('TASK_STARTING', 0) }),
      50,
      'wait 100',
    ],
    [
      'runs once the start delay is over',
      task({ finalizers: held, status: state('TASK_STARTING', 0) }),
      100,
      'running',
    ],
    [
      'waits out the run time',
      task({ finalizers: held, status: state('TASK_RUNNING', 1000) }),
      2000,
      'wait 31000',
    ],
    [
      'finishes with exit code 0 after the run time',
      task({ finalizers: held, status: state('TASK_RUNNING', 1000) }),
      31_000,
      'exited 0',
    ],
    [
      'takes the run time from the Task annotation',
      task({
        finalizers: held,
        status: state('TASK_RUNNING', 0),
        annotations: { [RUN_SECONDS_KEY]: '2' },
      }),
      2000,
      'exited 0',
    ],
    [
      'stays RUNNING when the run time is 0',
      task({
        finalizers: held,
        status: state('TASK_RUNNING', 0),
        labels: { [RUN_SECONDS_KEY]: '0' },
      }),
      10_000_000,
      'none',
    ],
    [
      'fails a task at its max completion time when it would run longer',
      task({ finalizers: held, status: state('TASK_RUNNING', 0), maxSeconds: 5 }),
      5000,
      'exited 137 maxCompletion',
    ],
    [
      'leaves a final Task alone',
      task({ finalizers: held, status: state('TASK_FINISHED') }),
      0,
      'none',
    ],
    [
      'leaves a rejected Task alone, even unheld',
      task({ annotations: { 'corral.dev/rejected': 'true' } }),
      0,
      'none',
    ],
    [
      'kills a deleted RUNNING Task: KILLING first',
      task({ finalizers: held, deleting: true, status: state('TASK_RUNNING') }),
      0,
      'killing',
    ],
    [
      'then KILLED, by the deletion',
      task({ finalizers: held, deleting: true, status: state('TASK_KILLING') }),
      0,
      'exited 143 deleted',
    ],
    [
      'then lets the record go',
      task({ finalizers: held, deleting: true, status: state('TASK_KILLED') }),
      0,
      'finalizer off',
    ],
    [
      'kills a launched Task deleted while still STAGING (never started): KILLED before launch',
      task({ finalizers: held, deleting: true, status: state('TASK_STAGING') }),
      0,
      'killedBeforeLaunch',
    ],
    [
      'then lets the record of the never-started Task go',
      task({
        finalizers: held,
        deleting: true,
        status: state('TASK_KILLED', 0, { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' }),
      }),
      0,
      'finalizer off',
    ],
    [
      'kills a deleted STARTING Task before launch',
      task({ finalizers: held, deleting: true, status: state('TASK_STARTING') }),
      0,
      'killedBeforeLaunch',
    ],
    [
      'does nothing for a deleted Task it never held',
      task({ deleting: true, status: state('TASK_STAGING') }),
      0,
      'none',
    ],
    [
      'reports RUNNING again for a Task the controllers marked unreachable',
      task({
        finalizers: held,
        status: state('TASK_UNREACHABLE', 0, { containerStatus: { containerId: 'hollow-u1' } }),
      }),
      0,
      'running',
    ],
  ];
  for (const [name, t, now, want] of cases) {
    it(name, () => {
      expect(summary(hollowStep(t, T0 + now, timing))).to.equal(want);
    });
  }

  it('with no start delay, goes from STAGING to RUNNING in one step (no STARTING on the record)', () => {
    const staging = task({ finalizers: held, status: state('TASK_STAGING') });
    expect(summary(hollowStep(staging, T0, { startMs: 0, runMs: 0 }))).to.equal('running');
    expect(summary(hollowStep(staging, T0, { startMs: 1, runMs: 0 }))).to.equal('starting');
  });

  it('reads the run time from an annotation or a label, ignoring nonsense', () => {
    expect(runMsOf(task({ annotations: { [RUN_SECONDS_KEY]: '1.5' } }), 9)).to.equal(1500);
    expect(runMsOf(task({ labels: { [RUN_SECONDS_KEY]: '3' } }), 9)).to.equal(3000);
    expect(runMsOf(task({ annotations: { [RUN_SECONDS_KEY]: 'soon' } }), 9)).to.equal(9);
    expect(runMsOf(task({ annotations: { [RUN_SECONDS_KEY]: '-1' } }), 9)).to.equal(9);
    expect(runMsOf(task(), 9)).to.equal(9);
  });
});
