import { expect } from 'chai';
import type { Resources } from '../../../core/resources/index.ts';
import { parseResourceText, renderResourceList } from '../../../core/resources/index.ts';
import type { Offer, TaskTemplate } from '../../../core/types/index.ts';
import { planOffers } from '../../../examples/batch/plan.ts';
import { recall } from '../../../examples/stateful/memory.ts';
import { planVolume } from '../../../examples/stateful/plan.ts';
import { planRelease } from '../../../examples/stateful/release.ts';
import { reservedAs, volumeOf } from '../../../sdk/index.ts';
import { accept, launchResult, opResult } from '../controllers/offers/engine/builders.ts';
import { FW, framework, offer, task } from './builders.ts';

const ROLE = 'role'; // the engine builders' role
const reservation = { role: ROLE, principal: 'principal', labels: { framework: 'keeper' } };
const res = (text: string): Resources => parseResourceText(text);

function offerOf(resources: Resources, agent = 'agent-1'): Offer {
  const o = offer('o1', '1', agent);
  return {
    ...o,
    spec: { ...o.spec, role: ROLE, resources: renderResourceList(resources.allocate(ROLE)) },
  };
}

const service: TaskTemplate = {
  name: 'keeper-1',
  spec: { resources: { cpus: '0.5', mem: 64 }, command: { value: 'true' } },
};
const input = (o: Offer, agent?: string) => ({
  offer: o,
  reservation,
  persistenceId: 'keeper-data',
  containerPath: 'data',
  diskMb: 32,
  task: service,
  ...(agent === undefined ? {} : { agent }),
});

describe('the example frameworks’ plans', () => {
  it('batch: packs pending tasks into offers in order and declines what holds none', () => {
    const t = (name: string): TaskTemplate => ({
      name,
      spec: { resources: { cpus: 1, mem: 64 }, command: { value: 'true' } },
    });
    const plan = planOffers(
      [offer('small', '0.5'), offer('a', '2'), offer('b', '2')],
      [t('t0'), t('t1'), t('t2')],
    );
    expect(plan.declines.map(o => o.metadata.name)).to.deep.equal(['small']);
    expect(plan.launches.map(l => [l.offer.metadata.name, l.tasks.map(x => x.name)])).to.deep.equal(
      [
        ['a', ['t0', 't1']],
        ['b', ['t2']],
      ],
    );
    expect(plan.pending).to.deep.equal([]);
  });

  it('batch: an offer is full at the first pending task that does not fit (the batch tasks are alike)', () => {
    const t = (name: string, cpus: number): TaskTemplate => ({
      name,
      spec: { resources: { cpus, mem: 64 }, command: { value: 'true' } },
    });
    const plan = planOffers(
      [offer('a', '2'), offer('b', '0.5')],
      [t('t0', 1.5), t('t1', 1), t('t2', 0.5)],
    );
    // t1 would not fit what t0 left of a; t2 would, but comes after it
    expect(plan.launches.map(l => [l.offer.metadata.name, l.tasks.map(x => x.name)])).to.deep.equal(
      [['a', ['t0']]],
    );
    expect(plan.declines.map(o => o.metadata.name)).to.deep.equal(['b']);
    expect(plan.pending.map(x => x.name)).to.deep.equal(['t1', 't2']);
  });

  it('stateful, first run: RESERVE + CREATE + LAUNCH, which the offer engine accepts', () => {
    const offered = res('cpus:2;mem:512;disk:1024');
    const step = planVolume(input(offerOf(offered)));
    expect(step.kind).to.equal('reserve');
    if (step.kind === 'decline') return;
    const plan = accept(offered, step.operations);
    expect(opResult(plan, 0).state, opResult(plan, 0).message).to.equal('OPERATION_PENDING');
    expect(opResult(plan, 1).state, opResult(plan, 1).message).to.equal('OPERATION_PENDING');
    const [launched] = launchResult(plan, 2).tasks;
    expect(launched?.state, launched?.message).to.equal('TASK_STAGING');
  });

  it('stateful, later run: LAUNCH on the offered volume only, and only on its agent', () => {
    const volume = volumeOf(reservedAs(res('disk:32'), reservation), {
      persistenceId: 'keeper-data',
      containerPath: 'data',
    });
    const offered = res('cpus:2;mem:512').add(volume);
    const step = planVolume(input(offerOf(offered), 'agent-1'));
    if (step.kind !== 'launch') expect.fail(step.kind);
    const plan = accept(offered, step.operations, {
      agent: { volumes: [{ name: 'keeper-vol', resource: volume }] },
    });
    const [launched] = launchResult(plan, 0).tasks;
    expect(launched?.state, launched?.message).to.equal('TASK_STAGING');
    expect(planVolume(input(offerOf(offered, 'agent-2'), 'agent-1'))).to.deep.include({
      kind: 'decline',
    });
    expect(planVolume(input(offerOf(res('cpus:2;mem:512;disk:64')), 'agent-1'))).to.deep.include({
      kind: 'decline',
      why: 'volume keeper-data is not in the offer',
    });
  });

  it('stateful: reserved disk of its own without a volume gets CREATE + LAUNCH', () => {
    const offered = res('cpus:2;mem:512').add(reservedAs(res('disk:100'), reservation));
    expect(planVolume(input(offerOf(offered))).kind).to.equal('create');
    const foreign = res('cpus:2;mem:512;disk:64').add(
      reservedAs(res('disk:100'), { ...reservation, labels: { framework: 'other' } }),
    );
    expect(planVolume(input(offerOf(foreign))).kind).to.equal('reserve');
  });

  it('stateful --destroy: DESTROY the volume, UNRESERVE all its own, as the engine accepts', () => {
    const volume = volumeOf(reservedAs(res('disk:32'), reservation), {
      persistenceId: 'keeper-data',
      containerPath: 'data',
    });
    const offered = res('cpus:1')
      .add(reservedAs(res('cpus:0.5;mem:64'), reservation))
      .add(volume);
    const step = planRelease({
      offer: offerOf(offered),
      reservation,
      persistenceId: 'keeper-data',
    });
    if (step.kind === 'decline') expect.fail(step.why);
    const plan = accept(offered, step.operations, {
      agent: { volumes: [{ name: 'keeper-vol', resource: volume }] },
    });
    expect(plan.results.map(r => (r.kind === 'operation' ? r.state : r.kind))).to.deep.equal([
      'OPERATION_PENDING',
      'OPERATION_PENDING',
    ]);
  });

  it('stateful memory: run count from the note or the task names, whichever is larger', () => {
    const fw = framework();
    fw.metadata.annotations = { 'stateful.examples.corral.dev/runs': '2' };
    const named = (n: string) => ({
      ...task(n, 'TASK_FINISHED'),
      metadata: { name: n, namespace: 'x' },
    });
    expect(recall(fw, [named(`${FW}-5`)]).runs).to.equal(5);
    expect(recall(fw, [named(`${FW}-1`)]).runs).to.equal(2);
    const running = task(`${FW}-3`, 'TASK_RUNNING');
    expect(recall(fw, [running]).running?.metadata.name).to.equal(`${FW}-3`);
    expect(recall(fw, [running]).agent).to.equal('agent-1');
  });
});
