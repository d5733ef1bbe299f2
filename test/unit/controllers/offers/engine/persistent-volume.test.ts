import { expect } from 'chai';
import type { Resource } from '../../../../../core/resources/index.ts';
import { Resources, parseResourceList } from '../../../../../core/resources/index.ts';
import type { Operation, Task, Volume } from '../../../../../core/types/index.ts';
import type { AnswerPlan } from '../../../../../controllers/offers/engine/index.ts';
import { volumeRecordName } from '../../../../../controllers/offers/engine/index.ts';
import {
  CREATE,
  DESTROY,
  GROW,
  LAUNCH,
  SHRINK,
  accept,
  created,
  disk,
  launchResult,
  mounting,
  opResult,
  res,
  same,
  task,
  volume,
  agentOnlyOperations,
  recordChanges,
} from './builders.ts';

const of = (...rs: Resource[]): Resources => Resources.from(rs);

function createdObject<T>(plan: AnswerPlan, kind: string): T[] {
  return plan.changes.flatMap(c =>
    c.action === 'create' && c.object.kind === kind ? [c.object as T] : [],
  );
}

describe('offer engine: persistent volumes (Mesos persistent_volume_tests.cpp)', () => {
  const v1 = volume('1024', { id: 'id1', path: 'path1' });

  it('PersistentVolumeTest.CreateAndDestroyPersistentVolumes: CREATE makes a Volume, DESTROY deletes it, the reservation stays', () => {
    const plan = accept(of(disk('2048')), [CREATE(v1)]);
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    const name = volumeRecordName(plan.offer, 0, v1);
    expect(created(plan, 'Volume')).to.deep.equal([name]);
    const [vol] = createdObject<Volume>(plan, 'Volume');
    expect(vol?.spec).to.deep.include({ agent: 'agent-1', role: 'role' });
    expect(same(plan.converted, of(v1)), plan.converted.toString()).to.equal(true);
    expect(same(plan.declined, of(disk('1024')))).to.equal(true);

    const later = accept(of(v1, disk('1024')), [DESTROY(v1)], {
      agent: { volumes: [{ name, resource: v1 }] },
    });
    expect(opResult(later, 0).state).to.equal('OPERATION_PENDING');
    expect(recordChanges(later)).to.deep.equal([
      { action: 'delete', kind: 'Volume', name, origin: 'uid-offer-1' },
    ]);
    // no id, no feedback; the agent still learns of both through an Operation each
    expect(agentOnlyOperations(plan)).to.deep.equal(['CREATE']);
    expect(agentOnlyOperations(later)).to.deep.equal(['DESTROY']);
    const [destroy] = createdObject<Operation>(later, 'Operation');
    expect(destroy?.spec.destroy?.volumes).to.deep.equal(DESTROY(v1).destroy?.volumes);
    expect(same(later.returned, of(disk('2048')))).to.equal(true);
    expect(same(later.rescind, of(v1))).to.equal(true);
  });

  it('PersistentVolumeTest.AccessPersistentVolume: CREATE then LAUNCH mounting it in the same answer', () => {
    const ok = accept(of(disk('2048')).add(res('cpus:1')), [
      CREATE(v1),
      LAUNCH([task('t1', { cpus: 1 }, mounting('id1'))]),
    ]);
    expect(launchResult(ok, 1).tasks[0]?.state).to.equal('TASK_STAGING');
    expect(ok.used.contains(of(v1))).to.equal(true);
    const [t] = createdObject<Task>(ok, 'Task');
    const held = parseResourceList(t?.spec.allocatedResources ?? []);
    expect(held.contains(of(v1))).to.equal(true);
    // The mount named the persistence id; the Task names the Volume record the agent will find.
    expect(t?.spec.volumes?.[0]?.persistentVolume?.name).to.equal(
      volumeRecordName(ok.offer, 0, v1),
    );
  });

  it('PersistentVolumeTest.SharedPersistentVolumeMultipleTasks: two tasks of one answer share one offered copy', () => {
    const shared = volume('64', { id: 's1', shared: true });
    const agentState = { volumes: [{ name: 'shared-vol', resource: shared }] };
    const offered = of(shared).add(res('cpus:2'));
    const plan = accept(
      offered,
      [
        LAUNCH([
          task('t1', { cpus: 1 }, mounting('shared-vol')),
          task('t2', { cpus: 1 }, mounting('shared-vol')),
        ]),
      ],
      { agent: agentState },
    );
    expect(launchResult(plan, 0).tasks.map(t => t.state)).to.deep.equal([
      'TASK_STAGING',
      'TASK_STAGING',
    ]);
    // The second copy is allocated on the spot (Mesos: a conversion from nothing).
    expect(plan.conversions).to.have.length(1);
    expect(plan.conversions[0]?.consumed.isEmpty()).to.equal(true);
    expect(plan.used.count(shared)).to.equal(2);
  });

  it('PersistentVolumeTest.DestroyPersistentVolumeMultipleTasks: a shared volume in use cannot be destroyed', () => {
    const shared = volume('64', { id: 's1', shared: true });
    const vols = [{ name: 'shared-vol', resource: shared }];
    const busy = accept(of(shared), [DESTROY(shared)], {
      agent: { volumes: vols, tasks: [{ name: 'other-ns/t0', resources: of(shared) }] },
    });
    expect(opResult(busy, 0).message).to.match(
      /Persistent volumes in use: .* by task other-ns\/t0/,
    );

    // A LAUNCH earlier in the same answer counts as a user too.
    const cpus = res('cpus:1');
    const sameAnswer = accept(
      of(shared).add(cpus),
      [LAUNCH([task('t1', { cpus: 1 }, mounting('shared-vol'))]), DESTROY(shared)],
      {
        agent: { volumes: vols },
      },
    );
    expect(opResult(sameAnswer, 1).message).to.match(/in use: .* by task fw-ns\/t1/);

    const free = accept(of(shared), [DESTROY(shared)], { agent: { volumes: vols } });
    expect(opResult(free, 0).state).to.equal('OPERATION_PENDING');
  });

  it('PersistentVolumeTest.GrowVolume: the Volume record grows; the result comes back unfiltered', () => {
    const v = volume('128', { id: 'id1' });
    const plan = accept(of(v, disk('64')), [GROW(v, disk('64'))], {
      agent: { volumes: [{ name: 'v', resource: v }] },
    });
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    const change = recordChanges(plan)[0];
    expect(change).to.deep.include({ action: 'update', kind: 'Volume', name: 'v' });
    expect(
      change?.action === 'update' && change.kind === 'Volume' && change.spec.resource.scalar,
    ).to.equal('192');
    expect(same(plan.converted, of(volume('192', { id: 'id1' })))).to.equal(true);
    expect(plan.declined.isEmpty()).to.equal(true);
  });

  it('PersistentVolumeTest.ShrinkVolume: the Volume record shrinks and the freed disk comes back', () => {
    const v = volume('128', { id: 'id1' });
    const plan = accept(of(v), [SHRINK(v, 32)], {
      agent: { volumes: [{ name: 'v', resource: v }] },
    });
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    expect(same(plan.returned, of(volume('96', { id: 'id1' }), disk('32')))).to.equal(true);
  });

  it('PersistentVolumeTest.NonSpeculativeGrowAndLaunch: a resized volume is not usable later in the same answer', () => {
    const v = volume('128', { id: 'id1' });
    const cpus = res('cpus:1');
    const plan = accept(
      of(v, disk('64')).add(cpus),
      [GROW(v, disk('64')), LAUNCH([task('t1', { cpus: 1 }, mounting('v'))])],
      {
        agent: { volumes: [{ name: 'v', resource: v }] },
      },
    );
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    expect(launchResult(plan, 1).tasks[0]).to.deep.include({
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_INVALID',
    });
  });

  it('CREATE then DESTROY in one answer leaves no Volume behind', () => {
    const plan = accept(of(disk('2048')), [CREATE(v1), DESTROY(v1)]);
    expect(plan.results.map(r => r.kind === 'operation' && r.state)).to.deep.equal([
      'OPERATION_PENDING',
      'OPERATION_PENDING',
    ]);
    expect(recordChanges(plan)).to.deep.equal([]);
    expect(same(plan.returned, of(disk('2048')))).to.equal(true);
  });
});
