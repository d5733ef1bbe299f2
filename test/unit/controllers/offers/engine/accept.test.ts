import { expect } from 'chai';
import { Resources, makeResource, renderResource } from '../../../../../core/resources/index.ts';
import type { OfferOperation, Operation } from '../../../../../core/types/index.ts';
import { NO_FEEDBACK_LABEL, hasFeedback } from '../../../../../core/framework/index.ts';
import {
  MAX_REFUSE_SECONDS,
  applyAnswer,
  declinePlan,
  refuseFilter,
  recordName,
  refuseSeconds,
} from '../../../../../controllers/offers/engine/index.ts';
import {
  ALL_AGENT_CAPS,
  CREATE,
  LAUNCH,
  NOW,
  OFFER_REF,
  RESERVE,
  accept,
  agent,
  framework,
  launchResult,
  offer,
  opResult,
  res,
  reserved,
  same,
  task,
  volume,
} from './builders.ts';

describe('offer engine: filters (Mesos Filters.refuse_seconds)', () => {
  const cases: [string, number | undefined, number][] = [
    ['defaults to 5 seconds', undefined, 5],
    ['keeps a value in range', 30, 30],
    ['0 means no filter', 0, 0],
    ['clamps above 365 days', 1e12, MAX_REFUSE_SECONDS],
    ['clamps Infinity', Infinity, MAX_REFUSE_SECONDS],
    ['uses the default for a negative value', -1, 5],
    ['uses the default for NaN', NaN, 5],
  ];
  for (const [name, given, want] of cases) {
    it(name, () => {
      expect(refuseSeconds(given === undefined ? undefined : { refuseSeconds: given })).to.equal(
        want,
      );
    });
  }

  it('a filter ends refuseSeconds after now; none for 0', () => {
    expect(refuseFilter({ refuseSeconds: 1.5 }, NOW)).to.deep.equal({
      refuseSeconds: 1.5,
      until: '2025-01-01T00:00:01.500Z',
    });
    expect(refuseFilter({ refuseSeconds: 0 }, NOW)).to.equal(undefined);
  });

  it('SchedulerTest.Decline: a DECLINE returns everything under its filter', () => {
    const plan = declinePlan(
      offer({ resources: res('cpus:1;mem:128'), decline: { refuseSeconds: 60 } }),
      NOW,
    );
    expect(plan.outcome).to.equal('DECLINED');
    expect(same(plan.declined, res('cpus:1;mem:128'))).to.equal(true);
    expect(plan.filter?.refuseSeconds).to.equal(60);
    const viaApply = applyAnswer({
      offer: offer({ resources: res('cpus:1'), decline: {} }),
      framework: framework(),
      agent: agent(),
      now: NOW,
    });
    expect(viaApply.filter?.refuseSeconds).to.equal(5);
  });

  it('an ACCEPT declines what it leaves, under the accept filter; converted resources come back unfiltered', () => {
    const plan = accept(res('cpus:2'), [RESERVE(reserved('cpus:1'))], {
      filters: { refuseSeconds: 0 },
    });
    expect(plan.filter).to.equal(undefined);
    const filtered = accept(res('cpus:2'), [RESERVE(reserved('cpus:1'))], {
      filters: { refuseSeconds: 10 },
    });
    expect(filtered.filter?.refuseSeconds).to.equal(10);
    expect(same(filtered.converted, reserved('cpus:1'))).to.equal(true);
    expect(same(filtered.declined, res('cpus:1'))).to.equal(true);
  });
});

describe('offer engine: an ACCEPT that fails as a whole (Mesos offer validation)', () => {
  const ops = [RESERVE(reserved('cpus:1'), 'r1'), LAUNCH([task('t1', { cpus: 1 })])];

  it('MasterTest.LaunchDifferentRoleLost-like: another framework’s offer → TASK_LOST, OPERATION_ERROR, nothing written', () => {
    const plan = applyAnswer({
      offer: offer({ resources: res('cpus:2'), operations: ops, framework: 'someone-else' }),
      framework: framework(),
      agent: agent(),
      now: NOW,
    });
    expect(plan.outcome).to.equal('INVALID_OFFER');
    expect(opResult(plan, 0)).to.deep.include({ state: 'OPERATION_ERROR', id: 'r1' });
    expect(opResult(plan, 0).message).to.match(
      /^Operation attempted with invalid offers: Offer offer-1 has invalid framework/,
    );
    expect(launchResult(plan, 1).tasks[0]).to.deep.include({
      state: 'TASK_LOST',
      reason: 'REASON_INVALID_OFFERS',
    });
    expect(plan.changes).to.deep.equal([]);
    // The offer is discarded: its resources go back without a filter.
    expect(same(plan.converted, res('cpus:2'))).to.equal(true);
    expect(plan.filter).to.equal(undefined);
  });

  it('a partition-aware framework gets TASK_DROPPED instead of TASK_LOST', () => {
    const plan = applyAnswer({
      offer: offer({ resources: res('cpus:2'), operations: ops, agent: 'agent-2' }),
      framework: framework({ capabilities: ['PARTITION_AWARE'] }),
      agent: agent(),
      now: NOW,
    });
    expect(launchResult(plan, 1).tasks[0]?.state).to.equal('TASK_DROPPED');
    expect(plan.message).to.match(/uses agent agent-2 while agent agent-1 is expected/);
  });

  it('a rescinded offer (being deleted) changes nothing and returns nothing', () => {
    const o = offer({ resources: res('cpus:2'), operations: ops });
    o.metadata.deletionTimestamp = NOW;
    const plan = applyAnswer({ offer: o, framework: framework(), agent: agent(), now: NOW });
    expect(plan.outcome).to.equal('RESCINDED');
    expect(plan.changes).to.deep.equal([]);
    expect(plan.returned.isEmpty()).to.equal(true);
  });

  for (const [connectivity, reason] of [
    ['removed', 'REASON_AGENT_REMOVED'],
    ['disconnected', 'REASON_AGENT_DISCONNECTED'],
  ] as const) {
    it(`an agent ${connectivity}: tasks lost with ${reason}, other operations skipped`, () => {
      const plan = applyAnswer({
        offer: offer({ resources: res('cpus:2'), operations: ops }),
        framework: framework(),
        agent: agent({ connectivity }),
        now: NOW,
      });
      expect(plan.outcome).to.equal('AGENT_UNAVAILABLE');
      expect(launchResult(plan, 1).tasks[0]).to.deep.include({ state: 'TASK_LOST', reason });
      expect(opResult(plan, 0).state).to.equal('OPERATION_DROPPED');
      expect(plan.changes).to.deep.equal([]);
    });
  }

  it('an offer whose resources do not parse is an invalid offer, not a crash', () => {
    const o = offer({ resources: res('cpus:1'), operations: ops });
    o.spec.resources = [{ name: 'cpus', scalar: 'lots' }];
    const plan = applyAnswer({ offer: o, framework: framework(), agent: agent(), now: NOW });
    expect(plan.outcome).to.equal('INVALID_OFFER');
    expect(plan.message).to.match(/^Offer resources are invalid/);
    expect(plan.returned.isEmpty()).to.equal(true);
  });

  it('an unanswered offer plans nothing', () => {
    const plan = applyAnswer({
      offer: offer({ resources: res('cpus:1') }),
      framework: framework(),
      agent: agent(),
      now: NOW,
    });
    expect(plan.outcome).to.equal('UNANSWERED');
    expect(plan.returned.isEmpty()).to.equal(true);
  });
});

describe('offer engine: operation feedback (mesos-features §4.3)', () => {
  it('AgentOperationFeedbackTest: an operation with an id on a capable agent starts OPERATION_PENDING', () => {
    const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1'), 'r1')]);
    const first = plan.changes[0];
    const op = first?.action === 'create' ? (first.object as Operation) : undefined;
    expect(op?.spec).to.deep.include({
      type: 'RESERVE',
      agent: 'agent-1',
      framework: 'fw',
      offer: 'offer-1',
    });
    expect(op?.status?.state).to.equal('OPERATION_PENDING');
  });

  const without = (cap: string) => ({
    agent: { capabilities: ALL_AGENT_CAPS.filter(c => c !== cap) },
  });
  for (const [cap, message] of [
    [
      'AGENT_OPERATION_FEEDBACK',
      /does not have the required AGENT_OPERATION_FEEDBACK and RESOURCE_PROVIDER capabilities/,
    ],
    ['RESOURCE_PROVIDER', /does not have the required RESOURCE_PROVIDER capability/],
  ] as const) {
    it(`an agent without ${cap}: OPERATION_ERROR, recorded on an Operation in that state`, () => {
      const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1'), 'r1')], without(cap));
      expect(opResult(plan, 0).state).to.equal('OPERATION_ERROR');
      expect(opResult(plan, 0).message).to.match(message);
      const [change] = plan.changes;
      expect(change?.action === 'create' && (change.object as Operation).status?.state).to.equal(
        'OPERATION_ERROR',
      );
      expect(plan.changes).to.have.length(1);
    });
  }

  it('without an id, an applied operation still reaches the agent: an Operation with a generated name and no feedback', () => {
    const plan = accept(res('cpus:1;disk:512'), [
      RESERVE(reserved('disk:512')),
      CREATE(volume('256', { id: 'data' })),
      RESERVE(reserved('cpus:1'), 'with-id'),
    ]);
    const ops = plan.changes.flatMap(c =>
      c.action === 'create' && c.object.kind === 'Operation' ? [c.object] : [],
    );
    expect(
      ops.map(o => [o.metadata.name, o.spec.type, hasFeedback(o), o.status?.state]),
    ).to.deep.equal([
      [recordName('Operation', OFFER_REF, 0), 'RESERVE', false, 'OPERATION_PENDING'],
      [recordName('Operation', OFFER_REF, 1), 'CREATE', false, 'OPERATION_PENDING'],
      ['with-id', 'RESERVE', true, 'OPERATION_PENDING'],
    ]);
    expect(ops[0]?.metadata.labels).to.deep.equal({ [NO_FEEDBACK_LABEL]: 'true' });
    // who asked and where: the framework, still, so it is not mistaken for an operator's
    expect(ops[1]?.spec).to.deep.include({ framework: 'fw', offer: 'offer-1', agent: 'agent-1' });
  });

  it('without an id, a dropped operation leaves no record (Mesos: logged only)', () => {
    const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:2'))]);
    expect(opResult(plan, 0).state).to.equal('OPERATION_ERROR');
    expect(plan.changes).to.deep.equal([]);
  });

  it('an id another offer already used is refused, and its Operation left alone', () => {
    const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1'), 'r1')], {
      framework: { operations: [{ name: 'r1', offer: 'older-offer' }] },
    });
    expect(opResult(plan, 0).message).to.equal("Operation id 'r1' is already in use");
    expect(plan.changes).to.deep.equal([]);
  });
});

describe('offer engine: CREATE_DISK and DESTROY_DISK (non-speculative, mesos-features §4.3)', () => {
  const raw = makeResource({
    name: 'disk',
    value: { type: 'SCALAR', scalar: res('disk:1024').scalar('disk') },
    disk: { source: { type: 'RAW', profile: 'fast' } },
    providerId: 'rp1',
  });
  const createDisk: OfferOperation = {
    type: 'CREATE_DISK',
    createDisk: { source: renderResource(raw), targetType: 'MOUNT' },
  };

  it('holds the source until the provider finishes, through an Operation even without an id', () => {
    const plan = accept(Resources.of(raw), [createDisk]);
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    expect(same(plan.used, Resources.of(raw))).to.equal(true);
    expect(plan.returned.isEmpty()).to.equal(true);
    const [change] = plan.changes;
    const op = change?.action === 'create' ? (change.object as Operation) : undefined;
    expect(op?.metadata.name).to.match(/^offer-1-op0-[0-9a-f]{10}$/);
    expect(op?.spec.createDisk?.targetType).to.equal('MOUNT');
  });

  it('needs an agent with RESOURCE_PROVIDER', () => {
    const plan = accept(Resources.of(raw), [createDisk], {
      agent: { capabilities: ALL_AGENT_CAPS.filter(c => c !== 'RESOURCE_PROVIDER') },
    });
    expect(opResult(plan, 0).message).to.match(
      /because it does not have RESOURCE_PROVIDER capability/,
    );
  });

  it('OperationValidationTest.CreateDisk: names a target profile only when the source has none', () => {
    const bad: OfferOperation = {
      type: 'CREATE_DISK',
      createDisk: { source: renderResource(raw), targetType: 'MOUNT', targetProfile: 'slow' },
    };
    expect(opResult(accept(Resources.of(raw), [bad]), 0).message).to.match(
      /must not be set when 'source' has a profile/,
    );
  });
});
