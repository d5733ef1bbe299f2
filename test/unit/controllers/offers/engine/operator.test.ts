import { expect } from 'chai';
import type { Resource } from '../../../../../core/resources/index.ts';
import {
  Resources,
  renderResource,
  renderResourceList,
} from '../../../../../core/resources/index.ts';
import type {
  Agent,
  AgentCapability,
  Reservation,
  Task,
  Volume,
} from '../../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../../core/types/index.ts';
import type { AgentState, ChangePlan } from '../../../../../controllers/offers/engine/index.ts';
import {
  agentStateFrom,
  planReservationChange,
  planVolumeChange,
} from '../../../../../controllers/offers/engine/index.ts';
import { ALL_AGENT_CAPS, disk, dynamicRes, res, volume } from './builders.ts';

const mount = { type: 'MOUNT', root: '/mnt/ssd0' } as const;
const one = (r: Resource): Resources => Resources.of(r);

function agentObj(caps: readonly AgentCapability[] = ALL_AGENT_CAPS): Agent {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Agent',
    metadata: { name: 'node-1' },
    spec: {
      hostname: 'node-1',
      resources: { cpus: 8, mem: 4096, disk: 1024 },
      additionalResources: [{ name: 'disk', scalar: 400, disk: { source: mount } }],
      capabilities: [...caps],
    },
  };
}

function rsv(name: string, resources: Resources): Reservation {
  const [first] = resources;
  const role = first?.reservations.at(-1)?.role ?? '';
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent: 'node-1', role, resources: renderResourceList(resources) },
  };
}

function vol(name: string, r: Resource): Volume {
  const role = r.reservations.at(-1)?.role ?? '';
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name },
    spec: { agent: 'node-1', role, resource: renderResource(r) },
  };
}

function taskObj(name: string, holds: Resources): Task {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: 'databases' },
    spec: {
      agent: 'node-1',
      framework: 'fw',
      role: 'db',
      resources: {},
      image: 'x',
      allocatedResources: renderResourceList(holds),
    },
    status: { state: 'TASK_RUNNING' },
  };
}

interface Cluster {
  readonly reservations?: Reservation[];
  readonly volumes?: Volume[];
  readonly tasks?: Task[];
  readonly caps?: readonly AgentCapability[];
  readonly offered?: Resources;
}

function state(c: Cluster = {}): AgentState {
  const s = agentStateFrom({
    agent: agentObj(c.caps),
    reservations: c.reservations ?? [],
    volumes: c.volumes ?? [],
    tasks: c.tasks ?? [],
    offers: [],
  });
  return c.offered === undefined ? s : { ...s, offered: c.offered };
}

const dyn = (text: string, role = 'db') => res(text).pushReservation(dynamicRes(role, 'ops'));
const stack = (role: string) => [dynamicRes(role, 'ops')];
const pgDisk = () => disk('400', { stack: stack('db'), source: mount });
const pgVolume = (role = 'db') =>
  volume('400', { id: 'pg-data', stack: stack(role), source: mount, principal: 'ops' });

function expectOk(plan: ChangePlan): Extract<ChangePlan, { ok: true }> {
  if (!plan.ok) throw new Error(`rejected: ${plan.code}: ${plan.reason}`);
  return plan;
}

describe('offer engine: operator Reservations (Mesos RESERVE_RESOURCES / UNRESERVE_RESOURCES)', () => {
  it('MasterAPITest.ReserveResources: creating a Reservation reserves unreserved resources', () => {
    const plan = expectOk(
      planReservationChange(undefined, rsv('r', dyn('cpus:2;mem:512')), state()),
    );
    expect(plan.steps.map(s => s.action)).to.deep.equal(['RESERVE']);
    expect(plan.total.contains(dyn('cpus:2;mem:512'))).to.equal(true);
    expect(plan.rescind).to.equal(false);
  });

  it('rescinds offers first when the resources are only free once offers are taken back', () => {
    const plan = expectOk(
      planReservationChange(undefined, rsv('r', dyn('cpus:8')), state({ offered: res('cpus:4') })),
    );
    expect(plan.rescind).to.equal(true);
  });

  it('ReservationTest.DropReserveTooLarge: more than the agent has is a Conflict (409)', () => {
    const plan = planReservationChange(undefined, rsv('r', dyn('cpus:9')), state());
    expect(plan).to.deep.include({ ok: false, code: 'Conflict' });
    expect(!plan.ok && plan.reason).to.match(/^insufficient resources: .* does not contain cpus/);
  });

  it('ReserveOperationValidationTest.AgentHierarchicalRoleCapability: an invalid reservation is Invalid (400)', () => {
    const plan = planReservationChange(
      undefined,
      rsv('r', dyn('cpus:1', 'a/b')),
      state({ caps: ['MULTI_ROLE'] }),
    );
    expect(plan).to.deep.include({ ok: false, code: 'Invalid' });
  });

  it('MasterAPITest.UnreserveResources: deleting a Reservation unreserves it', () => {
    const r = rsv('r', dyn('cpus:2'));
    const plan = expectOk(planReservationChange(r, undefined, state({ reservations: [r] })));
    expect(plan.steps.map(s => s.action)).to.deep.equal(['UNRESERVE']);
    expect(plan.total.contains(res('cpus:8'))).to.equal(true);
  });

  it('a Reservation the agent never applied is deleted without steps', () => {
    const plan = expectOk(planReservationChange(rsv('r', dyn('cpus:99')), undefined, state()));
    expect(plan.steps).to.deep.equal([]);
  });

  it('a reservation cannot be removed while volumes are on it', () => {
    const r = rsv('pg', one(pgDisk()));
    const plan = planReservationChange(
      r,
      undefined,
      state({ reservations: [r], volumes: [vol('pg-main-data', pgVolume())] }),
    );
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'reservation has volumes: pg-main-data',
    });
  });

  it('a reservation cannot be removed while a refinement holds it', () => {
    const eng = rsv('eng', dyn('cpus:2', 'eng'));
    const refined = rsv(
      'eng-ml',
      dyn('cpus:2', 'eng').pushReservation(dynamicRes('eng/ml', 'ops')),
    );
    const plan = planReservationChange(eng, undefined, state({ reservations: [eng, refined] }));
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'reservation is refined by: eng-ml',
    });
  });

  it('a reservation cannot be removed while a task uses it', () => {
    const r = rsv('r', dyn('cpus:2'));
    const plan = planReservationChange(
      r,
      undefined,
      state({ reservations: [r], tasks: [taskObj('t', dyn('cpus:1'))] }),
    );
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'reserved resources in use by task databases/t',
    });
  });

  it('MasterAPITest.ReservationUpdate: changing the role pops to the common ancestor, then pushes', () => {
    const foo = rsv('r', dyn('cpus:1;mem:12', 'role/foo'));
    const bar = rsv('r', dyn('cpus:1;mem:12', 'role/bar'));
    const plan = expectOk(planReservationChange(foo, bar, state({ reservations: [foo] })));
    expect(plan.steps.map(s => s.action)).to.deep.equal(['UNRESERVE', 'RESERVE']);
    expect(plan.total.contains(dyn('cpus:1;mem:12', 'role/bar'))).to.equal(true);
    expect(plan.total.contains(dyn('cpus:1', 'role/foo'))).to.equal(false);
  });

  it('ReservationUpdate within a refinement keeps the common ancestor (eng/a → eng/b pops once)', () => {
    const base = rsv('eng', dyn('cpus:2', 'eng'));
    const a = rsv('x', dyn('cpus:2', 'eng').pushReservation(dynamicRes('eng/a', 'ops')));
    const b = rsv('x', dyn('cpus:2', 'eng').pushReservation(dynamicRes('eng/b', 'ops')));
    const plan = expectOk(planReservationChange(a, b, state({ reservations: [base, a] })));
    expect(plan.steps.map(s => s.action)).to.deep.equal(['UNRESERVE', 'RESERVE']);
    expect(plan.steps[0]?.converted.equals(dyn('cpus:2', 'eng'))).to.equal(true);
  });

  it('ReservationUpdate moves the volumes on the reservation without destroying them', () => {
    const before = rsv('pg', one(pgDisk()));
    const after = rsv('pg', one(disk('400', { stack: stack('db2'), source: mount })));
    const plan = expectOk(
      planReservationChange(
        before,
        after,
        state({ reservations: [before], volumes: [vol('pg-main-data', pgVolume())] }),
      ),
    );
    expect(plan.movedVolumes.map(v => v.name)).to.deep.equal(['pg-main-data']);
    expect(plan.movedVolumes[0]?.resource.reservations).to.deep.equal(stack('db2'));
    expect(plan.total.contains(one(pgVolume('db2')))).to.equal(true);
  });

  it('ReservationUpdate is refused while a task uses a volume on the reservation', () => {
    const before = rsv('pg', one(pgDisk()));
    const after = rsv('pg', one(disk('400', { stack: stack('db2'), source: mount })));
    const plan = planReservationChange(
      before,
      after,
      state({
        reservations: [before],
        volumes: [vol('pg-main-data', pgVolume())],
        tasks: [taskObj('pg-main-0', one(pgVolume()))],
      }),
    );
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'volume pg-main-data in use by task databases/pg-main-0',
    });
  });

  it('ReservationUpdate refuses mixed reservation stacks', () => {
    const mixed = dyn('cpus:1').add(dyn('mem:12', 'other'));
    const before = rsv('r', mixed);
    const plan = planReservationChange(
      before,
      rsv('r', dyn('cpus:1;mem:12', 'third')),
      state({ reservations: [before] }),
    );
    expect(!plan.ok && plan.reason).to.match(/Mixed reservations are not supported/);
  });

  it('changing amounts under the same stack reserves or unreserves the difference', () => {
    const four = rsv('r', dyn('cpus:4'));
    const grow = expectOk(
      planReservationChange(four, rsv('r', dyn('cpus:6')), state({ reservations: [four] })),
    );
    expect(grow.steps.map(s => [s.action, s.converted.toString()])).to.deep.equal([
      ['RESERVE', dyn('cpus:2').toString()],
    ]);
    const shrink = expectOk(
      planReservationChange(four, rsv('r', dyn('cpus:1')), state({ reservations: [four] })),
    );
    expect(shrink.steps.map(s => [s.action, s.consumed.toString()])).to.deep.equal([
      ['UNRESERVE', dyn('cpus:3').toString()],
    ]);
  });

  it('changing amounts and stacks at once is Invalid; so is moving to another agent', () => {
    const four = rsv('r', dyn('cpus:4'));
    expect(
      planReservationChange(four, rsv('r', dyn('cpus:6', 'x')), state({ reservations: [four] })),
    ).to.deep.include({ ok: false, code: 'Invalid' });
    const elsewhere = { ...four, spec: { ...four.spec, agent: 'node-2' } };
    expect(planReservationChange(four, elsewhere, state({ reservations: [four] }))).to.deep.include(
      { ok: false, code: 'Invalid' },
    );
  });
});

describe('offer engine: operator Volumes (Mesos CREATE_VOLUMES / DESTROY_VOLUMES / GROW / SHRINK)', () => {
  const withDisk = (c: Cluster = {}) => {
    const r = rsv('pg', one(pgDisk()).add(dyn('disk:512')));
    return state({ reservations: [r], ...c });
  };

  it('MasterAPITest.CreateAndDestroyVolumes: a Volume is created on reserved disk and destroyed again', () => {
    const v = vol('pg-main-data', pgVolume());
    const created = expectOk(planVolumeChange(undefined, v, withDisk()));
    expect(created.steps.map(s => s.action)).to.deep.equal(['CREATE']);
    const destroyed = expectOk(planVolumeChange(v, undefined, withDisk({ volumes: [v] })));
    expect(destroyed.steps.map(s => s.action)).to.deep.equal(['DESTROY']);
    expect(destroyed.total.contains(one(pgDisk()))).to.equal(true);
  });

  it('CreateOperationValidationTest.DuplicatedPersistenceID: Invalid', () => {
    const v = vol('pg-main-data', pgVolume());
    const twin = vol(
      'twin',
      volume('100', { id: 'pg-data', stack: stack('db'), principal: 'ops' }),
    );
    const plan = planVolumeChange(undefined, twin, withDisk({ volumes: [v] }));
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Invalid',
      reason: "Persistence ID 'pg-data' is not unique",
    });
  });

  it('CreateOperationValidationTest.InsufficientDiskResource: Conflict', () => {
    const plan = planVolumeChange(
      undefined,
      vol('big', volume('4096', { id: 'big', stack: stack('db') })),
      withDisk(),
    );
    expect(plan).to.deep.include({ ok: false, code: 'Conflict' });
    expect(!plan.ok && plan.reason).to.match(/^insufficient reserved disk/);
  });

  it('a volume in use cannot be destroyed', () => {
    const v = vol('pg-main-data', pgVolume());
    const plan = planVolumeChange(
      v,
      undefined,
      withDisk({ volumes: [v], tasks: [taskObj('pg-main-0', one(pgVolume()))] }),
    );
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Conflict',
      reason: 'volume pg-main-data in use by task databases/pg-main-0',
    });
  });

  it('MasterAPITest.GrowVolume and ShrinkVolume: a size change is a GROW_VOLUME or SHRINK_VOLUME', () => {
    const small = vol('v', volume('128', { id: 'v', stack: stack('db'), principal: 'ops' }));
    const big = vol('v', volume('256', { id: 'v', stack: stack('db'), principal: 'ops' }));
    const grow = expectOk(planVolumeChange(small, big, withDisk({ volumes: [small] })));
    expect(grow.steps.map(s => s.action)).to.deep.equal(['GROW_VOLUME']);
    const shrink = expectOk(planVolumeChange(big, small, withDisk({ volumes: [big] })));
    expect(shrink.steps.map(s => s.action)).to.deep.equal(['SHRINK_VOLUME']);
    const noResize = withDisk({
      volumes: [small],
      caps: ALL_AGENT_CAPS.filter(c => c !== 'RESIZE_VOLUME'),
    });
    expect(planVolumeChange(small, big, noResize)).to.deep.include({ ok: false, code: 'Invalid' });
  });

  it('ShrinkVolumeOperationValidationTest.Mount: a MOUNT volume cannot shrink', () => {
    const v = vol('pg-main-data', pgVolume());
    const smaller = vol(
      'pg-main-data',
      volume('200', { id: 'pg-data', stack: stack('db'), source: mount, principal: 'ops' }),
    );
    const plan = planVolumeChange(v, smaller, withDisk({ volumes: [v] }));
    expect(plan).to.deep.equal({
      ok: false,
      code: 'Invalid',
      reason: 'Shrinking a volume on a MOUNT disk is not supported',
    });
  });

  it('only the size may change: a new path or reservation is Invalid', () => {
    const v = vol('v', volume('128', { id: 'v', stack: stack('db'), principal: 'ops' }));
    const moved = vol(
      'v',
      volume('128', { id: 'v', path: 'elsewhere', stack: stack('db'), principal: 'ops' }),
    );
    expect(planVolumeChange(v, moved, withDisk({ volumes: [v] }))).to.deep.equal({
      ok: false,
      code: 'Invalid',
      reason: 'only the size of a volume can change',
    });
    const rerole = vol('v', volume('128', { id: 'v', stack: stack('db2'), principal: 'ops' }));
    expect(planVolumeChange(v, rerole, withDisk({ volumes: [v] }))).to.deep.include({
      ok: false,
      code: 'Invalid',
    });
  });
});
