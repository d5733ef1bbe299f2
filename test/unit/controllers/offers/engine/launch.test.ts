import { expect } from 'chai';
import { Resources, parseResourceList } from '../../../../../core/resources/index.ts';
import type { Task } from '../../../../../core/types/index.ts';
import type { AnswerPlan } from '../../../../../controllers/offers/engine/index.ts';
import {
  REJECTED_ANNOTATION,
  TASK_ID_ANNOTATION,
  taskIdOf,
} from '../../../../../core/framework/index.ts';
import { recordName } from '../../../../../controllers/offers/engine/index.ts';
import type { AcceptOptions } from './builders.ts';
import {
  ALL_AGENT_CAPS,
  LAUNCH,
  LAUNCH_GROUP,
  OFFER_REF,
  accept,
  launchResult,
  res,
  reserved,
  same,
  task,
} from './builders.ts';

function tasks(plan: AnswerPlan): Task[] {
  return plan.changes.flatMap(c =>
    c.action === 'create' && c.object.kind === 'Task' ? [c.object] : [],
  );
}

function held(t: Task | undefined): Resources {
  return parseResourceList(t?.spec.allocatedResources ?? []);
}

const revocable = (text: string): Resources =>
  Resources.from(
    res(text)
      .toArray()
      .map(r => ({ ...r, revocable: true })),
  );

describe('offer engine: LAUNCH (Mesos TaskValidationTest and _accept)', () => {
  type Row = readonly [string, Resources, Parameters<typeof task>, RegExp, AcceptOptions?];
  const rows: Row[] = [
    ['TaskValidationTest.TaskUsesNoResources', res('cpus:1'), ['t1', {}], /Task uses no resources/],
    [
      'TaskValidationTest.TaskUsesMoreResourcesThanOffered',
      res('cpus:1;mem:128'),
      ['t1', { cpus: 2, mem: 128 }],
      /Total resources .* required by task is more than available/,
    ],
    [
      'TaskValidationTest.DuplicatedTaskID (a running task of the framework)',
      res('cpus:1'),
      ['t1', { cpus: 1 }],
      /Task has duplicate ID: t1/,
      { framework: { tasks: [{ name: 't1', offer: 'older-offer' }] } },
    ],
    [
      'TaskValidationTest.ResourceLimitLessThanRequest',
      res('cpus:1'),
      ['t1', { cpus: 1 }, { limits: { cpus: '0.5' } }],
      /spec.limits.cpus: .*greater than or equal to the cpus request/,
    ],
    [
      'TaskValidationTest: limits on an agent without TASK_RESOURCE_LIMITS',
      res('cpus:1'),
      ['t1', { cpus: 1 }, { limits: { cpus: 2 } }],
      /Agent is not capable of handling task resource limits/,
      { agent: { capabilities: ALL_AGENT_CAPS.filter(c => c !== 'TASK_RESOURCE_LIMITS') } },
    ],
    [
      'TaskValidationTest.TaskUsesRevocableResources (without REVOCABLE_RESOURCES)',
      revocable('cpus:1'),
      ['t1', { cpus: 1 }],
      /more than available/,
    ],
    [
      'a port that is not offered',
      res('cpus:1;ports:[31000-31001]'),
      ['t1', { cpus: 1, ports: '31002' }],
      /more than available/,
    ],
    [
      'a volume the agent does not have',
      res('cpus:1'),
      [
        't1',
        { cpus: 1 },
        { volumes: [{ containerPath: 'd', persistentVolume: { name: 'nope' } }] },
      ],
      /Persistent volume 'nope' does not exist on agent agent-1/,
    ],
  ];
  for (const [name, offered, args, error, opts] of rows) {
    it(`${name}: TASK_ERROR (${error.source})`, () => {
      const plan = accept(offered, [LAUNCH([task(...args)])], opts);
      const [t] = launchResult(plan, 0).tasks;
      expect(t).to.deep.include({ name: 't1', state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' });
      expect(t?.message).to.match(error);
      expect(plan.used.isEmpty()).to.equal(true);
      expect(plan.declined.equals(offered)).to.equal(true);
    });
  }

  it('an `id` on a LAUNCH fails every task (mesos-features §4.3, O2)', () => {
    const plan = accept(res('cpus:2'), [
      LAUNCH([task('t1', { cpus: 1 }), task('t2', { cpus: 1 })], 'op-1'),
    ]);
    expect(launchResult(plan, 0).tasks.map(t => t.message)).to.deep.equal([
      'The `id` field cannot be set on LAUNCH operations',
      'The `id` field cannot be set on LAUNCH operations',
    ]);
  });

  it('an invalid task does not stop the other tasks of the LAUNCH', () => {
    const plan = accept(res('cpus:2'), [
      LAUNCH([task('t1', { cpus: 5 }), task('t2', { cpus: 1 })]),
    ]);
    expect(launchResult(plan, 0).tasks.map(t => t.state)).to.deep.equal([
      'TASK_ERROR',
      'TASK_STAGING',
    ]);
    expect(same(plan.used, res('cpus:1'))).to.equal(true);
    expect(same(plan.declined, res('cpus:1'))).to.equal(true);
  });

  it('a rejected task is recorded with TASK_ERROR and marked so no agent runs it', () => {
    const plan = accept(res('cpus:1'), [LAUNCH([task('t1', { cpus: 5 })])]);
    const [t] = tasks(plan);
    expect(t?.metadata.annotations?.[REJECTED_ANNOTATION]).to.equal('true');
    expect(t?.status).to.deep.include({
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_INVALID',
      source: 'SOURCE_MASTER',
    });
    expect(t?.spec.allocatedResources).to.equal(undefined);
  });

  it('a name a rejected task had may launch later in the answer (Mesos keeps no rejected task); the rejection is reported through a stand-in', () => {
    const plan = accept(res('cpus:1'), [
      LAUNCH([task('t1', { cpus: 5 })]),
      LAUNCH([task('t1', { cpus: 1 })]),
    ]);
    expect(launchResult(plan, 1).tasks[0]?.state).to.equal('TASK_STAGING');
    expect(
      tasks(plan).map(t => [t.metadata.name, taskIdOf(t), t.status?.state, t.status?.message]),
    ).to.deep.equal([
      ['t1', 't1', 'TASK_STAGING', undefined],
      [
        recordName('RejectedTask', OFFER_REF, 0, 't1'),
        't1',
        'TASK_ERROR',
        'Total resources cpus:5 required by task is more than available cpus:1',
      ],
    ]);
  });

  it('TaskValidationTest.DuplicatedTaskID: another offer’s Task holds the name, so a stand-in Task reports TASK_ERROR and the resources go back', () => {
    const plan = accept(res('cpus:1'), [LAUNCH([task('t1', { cpus: 1 })])], {
      framework: { tasks: [{ name: 't1', offer: 'older-offer' }] },
    });
    const [standIn, ...rest] = tasks(plan);
    expect(rest).to.deep.equal([]);
    expect(standIn?.metadata.name).to.equal(recordName('RejectedTask', OFFER_REF, 0, 't1'));
    expect(standIn?.metadata.name).to.match(/^offer-1-rejected0-t1-[0-9a-f]{10}$/);
    expect(standIn?.metadata.annotations).to.include({
      [TASK_ID_ANNOTATION]: 't1',
      [REJECTED_ANNOTATION]: 'true',
    });
    expect(standIn?.status).to.deep.include({
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_INVALID',
      source: 'SOURCE_MASTER',
      message: 'Task has duplicate ID: t1',
    });
    expect(standIn?.spec.allocatedResources).to.equal(undefined);
    expect(plan.used.isEmpty()).to.equal(true);
    expect(same(plan.declined, res('cpus:1'))).to.equal(true);
  });

  it('a LAUNCH_GROUP with a name another Task holds: every task TASK_ERROR, the taken one through a stand-in', () => {
    const plan = accept(
      res('cpus:2'),
      [LAUNCH_GROUP([task('a', { cpus: 1 }), task('t1', { cpus: 1 })])],
      { framework: { tasks: [{ name: 't1', offer: 'older-offer' }] } },
    );
    expect(tasks(plan).map(t => [t.metadata.name, taskIdOf(t), t.status?.reason])).to.deep.equal([
      ['a', 'a', 'REASON_TASK_GROUP_INVALID'],
      [recordName('RejectedTask', OFFER_REF, 0, 't1'), 't1', 'REASON_TASK_GROUP_INVALID'],
    ]);
    expect(plan.used.isEmpty()).to.equal(true);
  });

  it('picks reserved resources first, and the exact ports asked for', () => {
    const offered = res('cpus:2;ports:[31000-31010]').add(reserved('cpus:1'));
    const plan = accept(offered, [LAUNCH([task('t1', { cpus: 2, ports: '31005' })])]);
    expect(
      same(held(tasks(plan)[0]), reserved('cpus:1').add(res('cpus:1;ports:[31005-31005]'))),
    ).to.equal(true);
  });

  it('TaskValidationTest.TaskUsesRevocableResources: with REVOCABLE_RESOURCES, revocable ones, never mixed', () => {
    const offered = res('cpus:0.5').add(revocable('cpus:1'));
    const plan = accept(offered, [LAUNCH([task('t1', { cpus: 1 })])], {
      framework: { capabilities: ['REVOCABLE_RESOURCES'] },
    });
    expect(same(held(tasks(plan)[0]), revocable('cpus:1'))).to.equal(true);
    const small = accept(offered, [LAUNCH([task('t1', { cpus: '0.5' })])], {
      framework: { capabilities: ['REVOCABLE_RESOURCES'] },
    });
    expect(same(held(tasks(small)[0]), res('cpus:0.5'))).to.equal(true);
  });

  it('a task from this offer, found on a rerun, is not a duplicate of itself', () => {
    const plan = accept(res('cpus:1'), [LAUNCH([task('t1', { cpus: 1 })])], {
      framework: { tasks: [{ name: 't1', offer: 'offer-1' }] },
      agent: { tasks: [{ name: 'fw-ns/t1', offer: 'fw-ns/offer-1', resources: res('cpus:1') }] },
    });
    expect(launchResult(plan, 0).tasks[0]?.state).to.equal('TASK_STAGING');
  });

  it('an empty LAUNCH declines everything (Mesos: implicit decline)', () => {
    const plan = accept(res('cpus:1'), [LAUNCH([])]);
    expect(plan.changes).to.deep.equal([]);
    expect(same(plan.declined, res('cpus:1'))).to.equal(true);
  });
});

describe('offer engine: LAUNCH_GROUP (Mesos TaskGroupValidationTest): all tasks or none', () => {
  it('launches every task of a group that fits, in one group', () => {
    const plan = accept(res('cpus:2;mem:256'), [
      LAUNCH_GROUP([task('a', { cpus: 1, mem: 128 }), task('b', { cpus: 1, mem: 128 })]),
    ]);
    expect(launchResult(plan, 0).tasks.map(t => t.state)).to.deep.equal([
      'TASK_STAGING',
      'TASK_STAGING',
    ]);
    const groups = new Set(tasks(plan).map(t => t.spec.group));
    expect(groups.size).to.equal(1);
    expect([...groups][0]).to.match(/^offer-1-group0-[0-9a-f]{10}$/);
    expect(plan.returned.isEmpty()).to.equal(true);
  });

  it('fails every task when one does not fit, and uses nothing', () => {
    const plan = accept(res('cpus:2'), [
      LAUNCH_GROUP([task('a', { cpus: 1 }), task('b', { cpus: 2 })]),
    ]);
    const results = launchResult(plan, 0).tasks;
    expect(results.map(t => [t.state, t.reason])).to.deep.equal([
      ['TASK_ERROR', 'REASON_TASK_GROUP_INVALID'],
      ['TASK_ERROR', 'REASON_TASK_GROUP_INVALID'],
    ]);
    expect(results[0]?.message).to.match(/required by task group are more than available/);
    expect(plan.used.isEmpty()).to.equal(true);
  });

  it('fails every task when one is invalid, naming it', () => {
    const plan = accept(res('cpus:2'), [LAUNCH_GROUP([task('a', { cpus: 1 }), task('b', {})])]);
    expect(launchResult(plan, 0).tasks.map(t => t.message)).to.deep.equal([
      "Task 'b' is invalid: Task uses no resources",
      "Task 'b' is invalid: Task uses no resources",
    ]);
  });

  it('refuses overlapping ports across the tasks of a group', () => {
    const plan = accept(res('cpus:2;ports:[31000-31010]'), [
      LAUNCH_GROUP([
        task('a', { cpus: 1, ports: '31000' }),
        task('b', { cpus: 1, ports: '31000' }),
      ]),
    ]);
    expect(launchResult(plan, 0).tasks[0]?.message).to.match(/overlapping resources/);
  });

  it('an `id` on a LAUNCH_GROUP fails the group', () => {
    const plan = accept(res('cpus:2'), [LAUNCH_GROUP([task('a', { cpus: 1 })], 'op-1')]);
    expect(launchResult(plan, 0).tasks[0]).to.deep.include({
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_GROUP_INVALID',
      message: 'The `id` field cannot be set on LAUNCH_GROUP operations',
    });
  });

  it('TaskGroupValidationTest.ResourceLimits: a group task may have limits (each Corral task has its own cgroup)', () => {
    const plan = accept(res('cpus:2'), [
      LAUNCH_GROUP([task('a', { cpus: 1 }, { limits: { cpus: 2 } })]),
    ]);
    expect(launchResult(plan, 0).tasks[0]?.state).to.equal('TASK_STAGING');
  });
});
