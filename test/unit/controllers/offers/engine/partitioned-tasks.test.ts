// What the tasks of an unreachable or gone agent hold, as the offer engine plans against it: a
// provisional TASK_LOST (a non-partition-aware framework's TASK_UNREACHABLE, MESOS-7215) keeps
// its resources and volumes until the agent is marked gone; the agent's own TASK_LOST and every
// task of a gone agent hold nothing. The allocator and the agent must agree (core/framework).
import { expect } from 'chai';
import type { Resource } from '../../../../../core/resources/index.ts';
import {
  Resources,
  renderResource,
  renderResourceList,
} from '../../../../../core/resources/index.ts';
import type {
  Agent,
  Reservation,
  Task,
  TaskStatus,
  Volume,
} from '../../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../../core/types/index.ts';
import { REJECTED_ANNOTATION, holdsResources } from '../../../../../core/framework/index.ts';
import { taskUsage } from '../../../../../controllers/allocator/api-convert.ts';
import type { AgentState, ChangePlan } from '../../../../../controllers/offers/engine/index.ts';
import {
  agentStateFrom,
  applyAnswer,
  planReservationChange,
  planVolumeChange,
} from '../../../../../controllers/offers/engine/index.ts';
import { isFinal } from '../../../../../agent/status/transitions.ts';
import {
  ALL_AGENT_CAPS,
  DESTROY,
  NOW,
  disk,
  dynamicRes,
  framework,
  offer,
  opResult,
  res,
  volume,
} from './builders.ts';

type Health = 'reachable' | 'unreachable' | 'gone';

const UNREACHABLE_SINCE = '2025-01-01T00:00:00.000Z';

function agentObj(health: Health): Agent {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Agent',
    metadata: { name: 'agent-1' },
    spec: {
      hostname: 'agent-1',
      resources: { cpus: 8, mem: 4096, disk: 1024 },
      capabilities: [...ALL_AGENT_CAPS],
      ...(health === 'gone' ? { gone: true } : {}),
    },
    status: {
      conditions: [
        {
          type: 'Unreachable',
          status: health === 'reachable' ? 'False' : 'True',
          reason: 'Test',
          lastTransitionTime: UNREACHABLE_SINCE,
        },
      ],
    },
  };
}

const stack = [dynamicRes('role', 'ops')];
const reservedDisk = (): Resource => disk('512', { stack });
const pgVolume = (shared = false): Resource =>
  volume('256', { id: 'pg-data', stack, principal: 'ops', shared });

function rsv(name: string, resources: Resources): Reservation {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent: 'agent-1', role: 'role', resources: renderResourceList(resources) },
  };
}

function vol(name: string, r: Resource): Volume {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name },
    spec: { agent: 'agent-1', role: 'role', resource: renderResource(r) },
  };
}

function taskObj(status: TaskStatus | undefined, holds: Resources, rejected = false): Task {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: {
      name: 'pg-0',
      namespace: 'databases',
      ...(rejected ? { annotations: { [REJECTED_ANNOTATION]: 'true' } } : {}),
    },
    spec: {
      agent: 'agent-1',
      framework: 'fw',
      role: 'role',
      resources: {},
      image: 'x',
      allocatedResources: renderResourceList(holds),
    },
    ...(status === undefined ? {} : { status }),
  };
}

// The statuses the controllers and the agent write (controllers/tasks lossState, agent/status).
const RUNNING: TaskStatus = { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' };
const UNREACHABLE: TaskStatus = {
  state: 'TASK_UNREACHABLE',
  source: 'SOURCE_MASTER',
  reason: 'REASON_AGENT_REMOVED',
  unreachableTime: UNREACHABLE_SINCE,
};
const LOST_UNREACHABLE: TaskStatus = {
  state: 'TASK_LOST',
  source: 'SOURCE_MASTER',
  reason: 'REASON_AGENT_REMOVED',
};
const LOST_GONE: TaskStatus = {
  state: 'TASK_LOST',
  source: 'SOURCE_MASTER',
  reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
};
const GONE_BY_OPERATOR: TaskStatus = {
  state: 'TASK_GONE_BY_OPERATOR',
  source: 'SOURCE_MASTER',
  reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
};
const LOST_BY_AGENT: TaskStatus = {
  state: 'TASK_LOST',
  source: 'SOURCE_AGENT',
  reason: 'REASON_AGENT_RESTARTED',
};

interface Cluster {
  readonly health: Health;
  readonly task?: Task;
  readonly reservations?: Reservation[];
  readonly volumes?: Volume[];
}

function state(c: Cluster): AgentState {
  return agentStateFrom({
    agent: agentObj(c.health),
    reservations: c.reservations ?? [rsv('pg', Resources.of(reservedDisk()))],
    volumes: c.volumes ?? [vol('pg-main-data', pgVolume())],
    tasks: c.task === undefined ? [] : [c.task],
    offers: [],
  });
}

function expectOk(plan: ChangePlan): Extract<ChangePlan, { ok: true }> {
  if (!plan.ok) throw new Error(`rejected: ${plan.code}: ${plan.reason}`);
  return plan;
}

describe('offer engine: what the tasks of an unreachable or gone agent hold (MESOS-7215, MARK_AGENT_GONE)', () => {
  const cases: {
    readonly name: string;
    readonly status?: TaskStatus;
    readonly health: Health;
    readonly rejected?: boolean;
    readonly holds: boolean;
  }[] = [
    { name: 'a task not reported yet (STAGING)', health: 'reachable', holds: true },
    { name: 'a running task', status: RUNNING, health: 'reachable', holds: true },
    {
      name: 'TASK_UNREACHABLE while the agent is unreachable',
      status: UNREACHABLE,
      health: 'unreachable',
      holds: true,
    },
    {
      name: "a non-partition-aware framework's TASK_LOST while the agent is unreachable",
      status: LOST_UNREACHABLE,
      health: 'unreachable',
      holds: true,
    },
    {
      name: 'that TASK_LOST once the agent is back, before it reports the task again',
      status: LOST_UNREACHABLE,
      health: 'reachable',
      holds: true,
    },
    { name: 'TASK_UNKNOWN', status: { state: 'TASK_UNKNOWN' }, health: 'reachable', holds: true },
    {
      name: "the agent's own TASK_LOST (its container vanished)",
      status: LOST_BY_AGENT,
      health: 'reachable',
      holds: false,
    },
    {
      name: 'a finished task',
      status: { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' },
      health: 'reachable',
      holds: false,
    },
    {
      name: 'a task that only reports a rejected launch, before its TASK_ERROR is written',
      health: 'reachable',
      rejected: true,
      holds: false,
    },
    {
      name: 'TASK_GONE_BY_OPERATOR on a gone agent',
      status: GONE_BY_OPERATOR,
      health: 'gone',
      holds: false,
    },
    { name: 'TASK_LOST on a gone agent', status: LOST_GONE, health: 'gone', holds: false },
    {
      name: 'a provisional TASK_LOST the task controller has not settled yet on a gone agent',
      status: LOST_UNREACHABLE,
      health: 'gone',
      holds: false,
    },
    {
      name: 'TASK_UNREACHABLE on a gone agent',
      status: UNREACHABLE,
      health: 'gone',
      holds: false,
    },
    { name: 'a running task on a gone agent', status: RUNNING, health: 'gone', holds: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.holds ? 'holds its resources' : 'holds nothing'}`, () => {
      const t = taskObj(c.status, res('cpus:1').add(Resources.of(pgVolume())), c.rejected);
      const model = state({ health: c.health, task: t });
      expect(model.tasks.map(u => u.name)).to.deep.equal(c.holds ? ['databases/pg-0'] : []);
      expect(holdsResources(t, c.health)).to.equal(c.holds);
      // The allocator drops a gone agent whole; for the others it counts the task exactly so.
      if (c.health !== 'gone') expect(taskUsage(t) !== undefined, 'allocator').to.equal(c.holds);
      // The agent keeps working on (and may correct) exactly the states that still hold.
      if (c.health !== 'gone' && c.rejected !== true)
        expect(isFinal(t.status), 'agent isFinal').to.equal(!c.holds);
    });
  }

  it('PersistentVolumeTest (DESTROY_VOLUMES) + MESOS-7215: a volume a TASK_LOST task mounts cannot be destroyed while the agent is unreachable; once it is gone it can', () => {
    const v = vol('pg-main-data', pgVolume());
    const t = taskObj(LOST_UNREACHABLE, res('cpus:1').add(Resources.of(pgVolume())));
    expect(planVolumeChange(v, undefined, state({ health: 'unreachable', task: t }))).to.deep.equal(
      {
        ok: false,
        code: 'Conflict',
        reason: 'volume pg-main-data in use by task databases/pg-0',
      },
    );
    // Marked gone: the task controller settles it to a final TASK_LOST, and even before that
    // the agent's tasks hold nothing.
    for (const status of [LOST_UNREACHABLE, LOST_GONE]) {
      const gone = state({ health: 'gone', task: { ...t, status } });
      const plan = expectOk(planVolumeChange(v, undefined, gone));
      expect(plan.steps.map(s => s.action)).to.deep.equal(['DESTROY']);
    }
  });

  it('ReservationTest R3 (operator UNRESERVE_RESOURCES): a reservation a TASK_LOST task uses cannot be unreserved while its agent is unreachable', () => {
    const r = rsv('cpus', res('cpus:2').pushReservation(dynamicRes('role', 'ops')));
    const t = taskObj(LOST_UNREACHABLE, res('cpus:1').pushReservation(dynamicRes('role', 'ops')));
    const cluster = { reservations: [r], volumes: [], task: t };
    expect(
      planReservationChange(r, undefined, state({ health: 'unreachable', ...cluster })),
    ).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'reserved resources in use by task databases/pg-0',
    });
    const gone = expectOk(
      planReservationChange(r, undefined, state({ health: 'gone', ...cluster })),
    );
    expect(gone.steps.map(s => s.action)).to.deep.equal(['UNRESERVE']);
  });

  it("ReservationTest.DropReserveTooLarge (operator): what a TASK_LOST task may still use is not free to reserve; the agent's own TASK_LOST frees it", () => {
    const want = rsv('more', res('cpus:4').pushReservation(dynamicRes('role', 'ops')));
    const cluster = (status: TaskStatus) => ({
      health: 'reachable' as const,
      reservations: [],
      volumes: [],
      task: taskObj(status, res('cpus:6')),
    });
    const refused = planReservationChange(undefined, want, state(cluster(LOST_UNREACHABLE)));
    expect(refused).to.deep.include({ ok: false, code: 'Conflict' });
    expect(!refused.ok && refused.reason).to.match(/^insufficient resources/);
    expectOk(planReservationChange(undefined, want, state(cluster(LOST_BY_AGENT))));
  });

  it('PersistentVolumeTest.DestroyPersistentVolumeMultipleTasks + MESOS-7215: an answer cannot DESTROY a shared volume a TASK_LOST task of a returned agent still uses', () => {
    const shared = pgVolume(true);
    const vols = [vol('pg-shared', shared)];
    const answer = (status: TaskStatus) =>
      applyAnswer({
        offer: offer({ resources: Resources.of(shared), operations: [DESTROY(shared)] }),
        framework: framework(),
        agent: state({
          health: 'reachable',
          volumes: vols,
          task: taskObj(status, res('cpus:1').add(Resources.of(shared))),
        }),
        now: NOW,
      });
    expect(opResult(answer(LOST_UNREACHABLE), 0)).to.deep.include({ state: 'OPERATION_ERROR' });
    expect(opResult(answer(LOST_UNREACHABLE), 0).message).to.match(
      /Persistent volumes in use: .* by task databases\/pg-0/,
    );
    expect(opResult(answer(LOST_BY_AGENT), 0).state).to.equal('OPERATION_PENDING');
  });
});
