import { expect } from 'chai';
import fc from 'fast-check';
import type { TaskState, TaskStatus } from '../../../../core/types/task.ts';
import type { KillCause, Observation } from '../../../../agent/status/observation.ts';
import { isFinal, nextStatus, TERMINAL_STATES } from '../../../../agent/status/transitions.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:00:05.000Z';
const exit = (
  exitCode: number,
  extra: Partial<{ oomKilled: boolean; signal: NodeJS.Signals }> = {},
) => ({ exitCode, oomKilled: false, ...extra });
const at = (state: TaskState, extra: Partial<TaskStatus> = {}): TaskStatus => ({
  state,
  lastTransitionTime: NOW,
  ...extra,
});

describe('nextStatus (agent task state machine)', () => {
  const cases: {
    name: string;
    from: TaskStatus | undefined;
    obs: Observation;
    state: TaskState;
    reason?: string;
    message?: string;
  }[] = [
    {
      name: 'a new task starts',
      from: undefined,
      obs: { type: 'starting' },
      state: 'TASK_STARTING',
    },
    {
      name: 'STAGING starts',
      from: at('TASK_STAGING'),
      obs: { type: 'starting' },
      state: 'TASK_STARTING',
    },
    {
      name: 'STARTING runs',
      from: at('TASK_STARTING'),
      obs: { type: 'running', containerId: 'c', pid: 9 },
      state: 'TASK_RUNNING',
    },
    {
      name: 'exit 0 finishes',
      from: at('TASK_RUNNING'),
      obs: { type: 'exited', containerId: 'c', exit: exit(0) },
      state: 'TASK_FINISHED',
      message: 'Command exited with status 0',
    },
    {
      name: 'exit 3 fails',
      from: at('TASK_RUNNING'),
      obs: { type: 'exited', containerId: 'c', exit: exit(3) },
      state: 'TASK_FAILED',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: 'Command exited with status 3',
    },
    {
      name: 'an OOM kill fails with the memory reason',
      from: at('TASK_RUNNING'),
      obs: {
        type: 'exited',
        containerId: 'c',
        exit: exit(137, { oomKilled: true, signal: 'SIGKILL' }),
      },
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
    },
    {
      name: 'a kill for deletion is KILLED whatever the code',
      from: at('TASK_KILLING'),
      obs: { type: 'exited', containerId: 'c', exit: exit(0), cause: { kind: 'deleted' } },
      state: 'TASK_KILLED',
    },
    {
      name: 'a disk limit fails with the disk reason',
      from: at('TASK_RUNNING'),
      obs: {
        type: 'exited',
        containerId: 'c',
        exit: exit(137, { signal: 'SIGKILL' }),
        cause: {
          kind: 'limitation',
          reason: 'REASON_CONTAINER_LIMITATION_DISK',
          message: 'Disk usage',
          resources: { disk: '1' },
        },
      },
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_DISK',
      message: 'Disk usage',
    },
    {
      name: 'a failed health check kills with the health reason',
      from: at('TASK_KILLING'),
      obs: {
        type: 'exited',
        containerId: 'c',
        exit: exit(143),
        cause: { kind: 'unhealthy', message: 'unhealthy' },
      },
      state: 'TASK_KILLED',
      reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
    },
    {
      name: 'max completion time fails',
      from: at('TASK_RUNNING'),
      obs: {
        type: 'exited',
        containerId: 'c',
        exit: exit(137),
        cause: { kind: 'maxCompletion', seconds: 2 },
      },
      state: 'TASK_FAILED',
      reason: 'REASON_MAX_COMPLETION_TIME_REACHED',
    },
    {
      name: 'a launch failure',
      from: at('TASK_STARTING'),
      obs: { type: 'launchFailed', message: 'no' },
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: 'no',
    },
    {
      name: 'deleted before launch',
      from: at('TASK_STAGING'),
      obs: { type: 'killedBeforeLaunch' },
      state: 'TASK_KILLED',
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
    },
    {
      name: 'a vanished container is lost',
      from: at('TASK_RUNNING'),
      obs: { type: 'vanished', containerId: 'c', message: 'gone' },
      state: 'TASK_LOST',
      reason: 'REASON_AGENT_RESTARTED',
    },
    {
      name: 'an unknown end fails',
      from: at('TASK_RUNNING'),
      obs: { type: 'exitUnknown', containerId: 'c', message: '?' },
      state: 'TASK_FAILED',
      reason: 'REASON_EXECUTOR_TERMINATED',
    },
    {
      name: 'RUNNING is never followed by STARTING',
      from: at('TASK_RUNNING'),
      obs: { type: 'starting' },
      state: 'TASK_RUNNING',
    },
    {
      name: 'KILLING is never followed by RUNNING',
      from: at('TASK_KILLING'),
      obs: { type: 'running', containerId: 'c' },
      state: 'TASK_KILLING',
    },
    {
      name: 'a returning agent corrects UNREACHABLE',
      from: at('TASK_UNREACHABLE'),
      obs: { type: 'running', containerId: 'c' },
      state: 'TASK_RUNNING',
    },
    {
      name: "a returning agent corrects the controllers' LOST",
      from: at('TASK_LOST', { source: 'SOURCE_MASTER' }),
      obs: { type: 'running', containerId: 'c' },
      state: 'TASK_RUNNING',
    },
    {
      name: "the agent's own LOST is final",
      from: at('TASK_LOST', { source: 'SOURCE_AGENT' }),
      obs: { type: 'running', containerId: 'c' },
      state: 'TASK_LOST',
    },
    {
      name: "MasterAPITest.TaskUpdatesUponAgentGone: a gone agent never overwrites the controllers' LOST",
      from: at('TASK_LOST', {
        source: 'SOURCE_MASTER',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
      }),
      obs: { type: 'running', containerId: 'c' },
      state: 'TASK_LOST',
      reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const next = nextStatus(c.from, c.obs, LATER);
      expect(next.state).to.equal(c.state);
      if (c.reason !== undefined) expect(next.reason).to.equal(c.reason);
      if (c.message !== undefined) expect(next.message).to.equal(c.message);
    });
  }

  it('returns the very same status when nothing changes (the write is skipped)', () => {
    const running = nextStatus(
      at('TASK_STARTING'),
      { type: 'running', containerId: 'c', pid: 4 },
      NOW,
    );
    expect(nextStatus(running, { type: 'running', containerId: 'c', pid: 4 }, LATER)).to.equal(
      running,
    );
    const done = nextStatus(running, { type: 'exited', containerId: 'c', exit: exit(0) }, LATER);
    expect(nextStatus(done, { type: 'exited', containerId: 'c', exit: exit(1) }, LATER)).to.equal(
      done,
    );
  });

  it('keeps lastTransitionTime within a state and sets it on a change', () => {
    const running = nextStatus(at('TASK_STARTING'), { type: 'running', containerId: 'c' }, LATER);
    expect(running.lastTransitionTime).to.equal(LATER);
    const healthy = nextStatus(
      running,
      { type: 'running', containerId: 'c', healthy: true },
      '2030-01-01T00:00:00.000Z',
    );
    expect(healthy.lastTransitionTime).to.equal(LATER);
    expect(healthy.healthy).to.equal(true);
    expect(healthy.reason).to.equal('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
  });

  it('keeps a Ready condition: True only while running and not unhealthy', () => {
    const running = nextStatus(undefined, { type: 'running', containerId: 'c' }, NOW);
    expect(running.conditions?.find(c => c.type === 'Ready')?.status).to.equal('True');
    const sick = nextStatus(running, { type: 'running', containerId: 'c', healthy: false }, LATER);
    expect(sick.conditions?.find(c => c.type === 'Ready')).to.deep.include({
      status: 'False',
      reason: 'Unhealthy',
    });
    const ended = nextStatus(sick, { type: 'exited', containerId: 'c', exit: exit(0) }, LATER);
    expect(ended.conditions?.find(c => c.type === 'Ready')?.status).to.equal('False');
    expect(ended.healthy).to.equal(undefined);
  });

  it('keeps conditions other writers set', () => {
    const other = {
      type: 'Scheduled',
      status: 'True' as const,
      reason: 'Offered',
      lastTransitionTime: NOW,
    };
    const next = nextStatus({ conditions: [other] }, { type: 'starting' }, LATER);
    expect(next.conditions).to.deep.include(other);
  });

  it('never leaves a final state, whatever it observes next (property)', () => {
    const cause: fc.Arbitrary<KillCause> = fc.constantFrom<KillCause>(
      { kind: 'deleted' },
      { kind: 'unhealthy', message: 'x' },
      { kind: 'maxCompletion', seconds: 1 },
    );
    const obs: fc.Arbitrary<Observation> = fc.oneof(
      fc.constant<Observation>({ type: 'starting' }),
      fc.record({
        type: fc.constant('running' as const),
        containerId: fc.constant('c'),
        healthy: fc.boolean(),
      }),
      fc.constant<Observation>({ type: 'killing', containerId: 'c' }),
      fc
        .record({
          type: fc.constant('exited' as const),
          containerId: fc.constant('c'),
          exit: fc.record({ exitCode: fc.integer({ min: 0, max: 255 }), oomKilled: fc.boolean() }),
          cause: fc.option(cause, { nil: undefined }),
        })
        .map(
          o =>
            (o.cause === undefined
              ? { type: o.type, containerId: o.containerId, exit: o.exit }
              : o) as Observation,
        ),
      fc.constant<Observation>({ type: 'launchFailed', message: 'm' }),
      fc.constant<Observation>({ type: 'killedBeforeLaunch' }),
      fc.constant<Observation>({ type: 'vanished', containerId: 'c', message: 'm' }),
    );
    fc.assert(
      fc.property(fc.array(obs, { maxLength: 12 }), seq => {
        let status: TaskStatus | undefined;
        let final: TaskStatus | undefined;
        for (const o of seq) {
          status = nextStatus(status, o, NOW);
          if (final !== undefined) expect(status).to.equal(final);
          if (isFinal(status)) final ??= status;
          if (status.state !== undefined && TERMINAL_STATES.has(status.state)) {
            expect(isFinal(status)).to.equal(true);
          }
        }
      }),
    );
  });
});
