import { expect } from 'chai';
import { NO_FEEDBACK_LABEL } from '../../../core/framework/index.ts';
import type { Offer, Operation, Task } from '../../../core/types/index.ts';
import type { Scheduler } from '../../../sdk/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION,
  FrameworkDriver,
  OfferRescinded,
  launch,
} from '../../../sdk/index.ts';
import { FakeClock, settle } from '../../helpers/fake-clock.ts';
import { FW, NS, framework, offer, operation, task } from './builders.ts';
import type { Rig } from './fakes.ts';
import { FakeApi, rig } from './fakes.ts';

/** Recorder is a Scheduler that writes down what it was told. */
class Recorder implements Scheduler {
  readonly log: string[] = [];
  readonly batches: Offer[][] = [];
  onOffers(offers: readonly Offer[]): void {
    this.batches.push([...offers]);
    this.log.push(`offers ${offers.map(o => o.metadata.name).join(',')}`);
  }
  onRescinded(o: Offer): void {
    this.log.push(`rescinded ${o.metadata.name ?? ''}`);
  }
  onTaskStatus(t: Task): void {
    this.log.push(`task ${t.metadata.name ?? ''} ${t.status?.state ?? ''}`);
  }
  onTaskRemoved(t: Task): void {
    this.log.push(`removed ${t.metadata.name ?? ''}`);
  }
  onOperationStatus(op: Operation): void {
    this.log.push(`operation ${op.metadata.name ?? ''} ${op.status?.state ?? ''}`);
  }
  onError(e: unknown): void {
    this.log.push(`error ${(e as Error).message}`);
  }
}

describe('sdk FrameworkDriver (over fakes)', () => {
  let r: Rig;
  let rec: Recorder;
  let driver: FrameworkDriver;
  const key = (name: string) => FakeApi.key({ namespace: NS, name });

  // stored puts the offer on the fake API server and shows it on the informer.
  function stored(o: Offer): Offer {
    const s = r.apis.offers.put(o);
    r.sources.offers.set(s);
    return s;
  }

  beforeEach(() => {
    rec = new Recorder();
    r = rig({ scheduler: rec, clock: new FakeClock(), framework: framework() });
    driver = r.driver;
  });

  it('delivers offers that arrive together as one batch, and each offer once', async () => {
    const a = stored(offer('o1'));
    stored(offer('o2'));
    await driver.idle();
    r.sources.offers.set({ ...a, metadata: { ...a.metadata } }); // same version again
    await driver.idle();
    expect(rec.batches.map(b => b.map(o => o.metadata.name))).to.deep.equal([['o1', 'o2']]);
  });

  it('accept writes spec.response pinned to the resourceVersion of the offer it was given', async () => {
    const o = stored(offer('o1'));
    await driver.idle();
    const ops = [
      launch([{ name: 't1', spec: { resources: { cpus: 1 }, command: { value: 'true' } } }]),
    ];
    await driver.accept(o, ops, { refuseSeconds: 10 });
    const patch = r.apis.offers.calls.find(c => c.verb === 'patch');
    expect(patch?.body).to.deep.equal({
      metadata: { resourceVersion: o.metadata.resourceVersion },
      spec: { response: { accept: { operations: ops, filters: { refuseSeconds: 10 } } } },
    });
    expect(driver.outstandingOffers()).to.deep.equal([]);
  });

  it('decline writes a decline with the filter; no filters leaves the default to the controller', async () => {
    const o1 = stored(offer('o1'));
    const o2 = stored(offer('o2'));
    await driver.decline(o1, { refuseSeconds: 60 });
    await driver.decline(o2);
    const bodies = r.apis.offers.calls.filter(c => c.verb === 'patch').map(c => c.body);
    expect(bodies).to.deep.equal([
      {
        metadata: { resourceVersion: o1.metadata.resourceVersion },
        spec: { response: { decline: { filters: { refuseSeconds: 60 } } } },
      },
      {
        metadata: { resourceVersion: o2.metadata.resourceVersion },
        spec: { response: { decline: {} } },
      },
    ]);
  });

  it('an answer to a deleted offer throws OfferRescinded NotFound; to a changed one, Conflict', async () => {
    const gone = stored(offer('gone'));
    r.apis.offers.objects.delete(key('gone'));
    const changed = stored(offer('changed'));
    r.apis.offers.put(changed); // the allocator wrote it again: a new resourceVersion
    const e1 = await driver.decline(gone).catch((e: unknown) => e);
    const e2 = await driver.accept(changed, []).catch((e: unknown) => e);
    expect(e1).to.be.instanceOf(OfferRescinded).and.include({ reason: 'NotFound', offer: 'gone' });
    expect(e2).to.be.instanceOf(OfferRescinded).and.include({ reason: 'Conflict' });
  });

  it('refuses to answer an offer read with an answer already on it', async () => {
    const o = stored(offer('o1'));
    const answered = { ...o, spec: { ...o.spec, response: { decline: {} } } };
    const e = await driver.decline(answered).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(RangeError);
    expect(r.apis.offers.calls.filter(c => c.verb === 'patch')).to.deep.equal([]);
  });

  it('tells of a rescind only for a delivered offer nobody answered', async () => {
    const o1 = stored(offer('o1'));
    stored(offer('o2'));
    await driver.idle();
    await driver.decline(o1);
    r.sources.offers.remove('o1');
    r.sources.offers.remove('o2');
    stored(offer('o3'));
    r.sources.offers.remove('o3'); // gone before delivery: never seen, never rescinded
    await driver.idle();
    expect(rec.log).to.deep.equal(['offers o1,o2', 'rescinded o2']);
  });

  it('delivers an offer the allocator changed again, since the old version cannot be answered', async () => {
    const o = stored(offer('o1'));
    await driver.idle();
    stored(o);
    await driver.idle();
    expect(rec.batches).to.have.length(2);
  });

  it('reports task status changes, not rewrites of the same status, and removals', async () => {
    r.sources.tasks.set(task('t1'));
    r.sources.tasks.set(task('t1', 'TASK_STAGING'));
    r.sources.tasks.set(task('t1', 'TASK_STAGING'));
    r.sources.tasks.set(task('t1', 'TASK_RUNNING'));
    r.sources.tasks.set(task('t1', 'TASK_RUNNING', { healthy: true }));
    r.sources.tasks.set(task('t1', 'TASK_FINISHED', { containerStatus: { exitCode: 0 } }));
    r.sources.tasks.remove('t1');
    await driver.idle();
    expect(rec.log).to.deep.equal([
      'task t1 TASK_STAGING',
      'task t1 TASK_RUNNING',
      'task t1 TASK_RUNNING',
      'task t1 TASK_FINISHED',
      'removed t1',
    ]);
  });

  it('acknowledges a terminal operation once onOperationStatus returned, not an ERROR', async () => {
    r.apis.operations.put(operation('op1'));
    r.apis.operations.put(operation('op2'));
    r.sources.operations.set(operation('op1', 'OPERATION_PENDING'));
    r.sources.operations.set(operation('op1', 'OPERATION_FINISHED'));
    r.sources.operations.set(operation('op2', 'OPERATION_ERROR'));
    await driver.idle();
    expect(rec.log).to.deep.equal([
      'operation op1 OPERATION_PENDING',
      'operation op1 OPERATION_FINISHED',
      'operation op2 OPERATION_ERROR',
    ]);
    const patches = r.apis.operations.calls.filter(c => c.verb === 'patch');
    expect(patches).to.deep.equal([
      {
        verb: 'patch',
        key: key('op1'),
        body: { metadata: { annotations: { [ACKNOWLEDGED_ANNOTATION]: 'true' } } },
      },
    ]);
  });

  it('an operation accepted without an id is no feedback (Mesos): not delivered, not acknowledged, not listed', async () => {
    const agentOnly = (state: 'OPERATION_PENDING' | 'OPERATION_FINISHED'): Operation => {
      const o = operation('offer-1-op0-0123456789', state);
      o.metadata.labels = { [NO_FEEDBACK_LABEL]: 'true' };
      return o;
    };
    r.apis.operations.put(agentOnly('OPERATION_FINISHED'));
    r.sources.operations.set(agentOnly('OPERATION_PENDING'));
    r.sources.operations.set(agentOnly('OPERATION_FINISHED'));
    await driver.idle();
    expect(rec.log).to.deep.equal([]);
    expect(r.apis.operations.calls.filter(c => c.verb === 'patch')).to.deep.equal([]);
    expect(driver.operations()).to.deep.equal([]);
    expect((await driver.reconcile()).operations).to.deep.equal([]);
    expect(await driver.acknowledge(agentOnly('OPERATION_FINISHED'))).to.equal(false);
  });

  it('without implicit acknowledgements the framework acknowledges; a PENDING one cannot be', async () => {
    r = rig({
      scheduler: rec,
      clock: new FakeClock(),
      framework: framework(),
      implicitAcknowledgements: false,
    });
    r.apis.operations.put(operation('op1'));
    r.sources.operations.set(operation('op1', 'OPERATION_FINISHED'));
    await r.driver.idle();
    expect(r.apis.operations.calls.filter(c => c.verb === 'patch')).to.deep.equal([]);
    expect(await r.driver.acknowledge(operation('op1', 'OPERATION_FINISHED'))).to.equal(true);
    expect(await r.driver.acknowledge(operation('op1', 'OPERATION_DROPPED'))).to.equal(false);
    expect(await r.driver.acknowledge(operation('gone', 'OPERATION_FAILED'))).to.equal(false);
    const stored = r.apis.operations.objects.get(key('op1'));
    expect(stored?.metadata.annotations?.[ACKNOWLEDGED_ANNOTATION]).to.equal('true');
    await r.driver
      .acknowledge(operation('op1', 'OPERATION_PENDING'))
      .then(() => expect.fail('acknowledged a PENDING operation'))
      .catch((e: unknown) => expect(e).to.be.instanceOf(RangeError));
  });

  it('runs handlers one at a time, in order, and goes on after one throws', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>(resolve => (release = resolve));
    r = rig({
      clock: new FakeClock(),
      framework: framework(),
      scheduler: {
        async onTaskStatus(t) {
          order.push(`start ${t.metadata.name ?? ''}`);
          if (t.metadata.name === 'slow') await gate;
          if (t.metadata.name === 'bad') throw new Error('boom');
          order.push(`end ${t.metadata.name ?? ''}`);
        },
        onError: e => order.push(`error ${(e as Error).message}`),
      },
    });
    r.sources.tasks.set(task('slow', 'TASK_RUNNING'));
    r.sources.tasks.set(task('bad', 'TASK_RUNNING'));
    r.sources.tasks.set(task('fast', 'TASK_RUNNING'));
    await settle();
    expect(order).to.deep.equal(['start slow']);
    release();
    await r.driver.idle();
    expect(order).to.deep.equal([
      'start slow',
      'end slow',
      'start bad',
      'error boom',
      'start fast',
      'end fast',
    ]);
  });

  it('replays what the informers hold at start: outstanding offers, tasks, operations', async () => {
    const clock = new FakeClock();
    const local = new Recorder();
    const base = rig({ clock, framework: framework() });
    base.sources.tasks.set(task('t1', 'TASK_RUNNING'));
    base.sources.offers.set(offer('o1'));
    base.sources.offers.set({
      ...offer('answered'),
      spec: { ...offer('x').spec, response: { decline: {} } },
    });
    // a second driver over the same informers: what a restarted framework sees
    const again = new FrameworkDriver({
      apis: base.apis,
      sources: base.sources,
      namespace: NS,
      name: FW,
      clock,
      scheduler: local,
    });
    again.start({ framework: framework(), reregistered: true });
    await again.idle();
    expect(local.log).to.deep.equal(['task t1 TASK_RUNNING', 'offers o1']);
  });

  it('reconcile lists the framework’s tasks and operations from the API', async () => {
    r.apis.tasks.put(task('t1', 'TASK_RUNNING'));
    r.apis.tasks.put({ ...task('other'), spec: { ...task('other').spec, framework: 'someone' } });
    r.apis.operations.put(operation('op1', 'OPERATION_PENDING'));
    const { tasks, operations } = await driver.reconcile();
    expect(tasks.map(t => t.metadata.name)).to.deep.equal(['t1']);
    expect(operations.map(o => o.metadata.name)).to.deep.equal(['op1']);
    expect(r.apis.tasks.calls.at(-1)).to.deep.include({
      verb: 'list',
      key: `spec.framework=${FW}`,
    });
  });

  it('kill deletes the task; an absent one is not an error', async () => {
    r.apis.tasks.put(task('t1', 'TASK_RUNNING'));
    expect(await driver.kill('t1')).to.equal(true);
    expect(await driver.kill(task('t1'))).to.equal(false);
    expect(r.apis.tasks.objects.size).to.equal(0);
  });

  it('suppress and revive write suppressed roles and a new revive token each time', async () => {
    await driver.suppress(['b']);
    expect(r.apis.frameworks.objects.get(key(FW))?.spec.suppressedRoles).to.deep.equal(['b']);
    await driver.suppress();
    expect(r.apis.frameworks.objects.get(key(FW))?.spec.suppressedRoles).to.deep.equal(['a', 'b']);
    const first = await driver.revive(['a']);
    expect(first.spec.suppressedRoles).to.deep.equal(['b']);
    const second = await driver.revive();
    expect(second.spec.suppressedRoles).to.equal(undefined);
    const tokens = [first, second].map(f => f.metadata.annotations?.['corral.dev/revive']);
    expect(tokens[0]).to.be.a('string');
    expect(tokens[0]).to.not.equal(tokens[1]);
    expect(() => driver.suppress(['nope'])).to.not.throw(); // rejected asynchronously
    await driver
      .suppress(['nope'])
      .then(() => expect.fail('suppressed an unsubscribed role'))
      .catch((e: unknown) => expect(e).to.be.instanceOf(RangeError));
  });

  it('stop marks the framework inactive and stops delivery; teardown deletes tasks and Framework', async () => {
    await driver.stop();
    const fw = r.apis.frameworks.objects.get(key(FW));
    expect(fw?.status?.conditions?.map(c => [c.type, c.status])).to.deep.equal([
      ['Active', 'False'],
    ]);
    r.sources.tasks.set(task('late', 'TASK_RUNNING'));
    await driver.idle();
    expect(rec.log).to.deep.equal([]);

    const other = rig({ clock: new FakeClock(), framework: framework() });
    other.apis.tasks.put(task('t1', 'TASK_RUNNING'));
    await other.driver.teardown();
    expect(other.apis.tasks.objects.size).to.equal(0);
    expect(other.apis.frameworks.objects.size).to.equal(0);
    expect(other.apis.frameworks.calls.map(c => c.verb)).to.not.include('updateStatus');
    await other.driver.done;
  });
});
