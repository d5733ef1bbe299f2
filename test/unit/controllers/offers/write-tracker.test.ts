import { expect } from 'chai';
import type { ReadonlyCache } from '../../../../core/client/index.ts';
import type { KubeObject } from '../../../../core/types/index.ts';
import { KeyGuard } from '../../../../controllers/offers/key-guard.ts';
import { WriteTracker } from '../../../../controllers/offers/write-tracker.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const obj = (
  name: string,
  rv: string,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Reservation',
  metadata: { name, resourceVersion: rv, ...extra },
});

function cacheOf(objects: KubeObject[]): ReadonlyCache<KubeObject> {
  return {
    size: objects.length,
    get: k => objects.find(o => o.metadata.name === k.name),
    list: () => objects,
  };
}

describe('WriteTracker: read-your-writes over informer caches', () => {
  it('waits until the cache shows the resourceVersion written', () => {
    const t = new WriteTracker(new FakeClock());
    t.written(obj('r', '10'), true);
    expect(t.caughtUp({ Reservation: cacheOf([]) }), 'created, not yet seen').to.equal(false);
    expect(t.caughtUp({ Reservation: cacheOf([obj('r', '9')]) })).to.equal(false);
    expect(t.caughtUp({ Reservation: cacheOf([obj('r', '11')]) })).to.equal(true);
  });

  it('an updated object missing from the cache was deleted since: nothing to wait for', () => {
    const t = new WriteTracker(new FakeClock());
    t.written(obj('r', '10'), false);
    expect(t.caughtUp({ Reservation: cacheOf([]) })).to.equal(true);
  });

  it('a delete shows as absence or a deletion timestamp', () => {
    const t = new WriteTracker(new FakeClock());
    t.removed('Reservation', { name: 'r' });
    expect(t.caughtUp({ Reservation: cacheOf([obj('r', '5')]) })).to.equal(false);
    expect(
      t.caughtUp({ Reservation: cacheOf([obj('r', '6', { deletionTimestamp: 'x' })]) }),
    ).to.equal(true);
  });

  it('gives up on a write the cache never shows after the wait', async () => {
    const clock = new FakeClock();
    const t = new WriteTracker(clock, 1000);
    t.written(obj('r', '10'), true);
    expect(t.caughtUp({ Reservation: cacheOf([]) })).to.equal(false);
    await clock.advance(1001);
    expect(t.caughtUp({ Reservation: cacheOf([]) })).to.equal(true);
  });

  it('a scoped wait looks only at writes on its agent, in its namespace, or of unknown agent', () => {
    const t = new WriteTracker(new FakeClock());
    const on = (name: string, agent: string, namespace?: string): KubeObject => ({
      ...obj(name, '10', namespace === undefined ? {} : { namespace }),
      spec: { agent },
    });
    t.written(on('r-a', 'a'), true);
    const empty = { Reservation: cacheOf([]) };
    expect(t.caughtUp(empty, { agent: 'b' }), 'a write on another agent').to.equal(true);
    expect(t.caughtUp(empty, { agent: 'a' })).to.equal(false);
    expect(t.caughtUp(empty), 'unscoped: every write').to.equal(false);
    const t2 = new WriteTracker(new FakeClock());
    t2.written(on('r-ns', 'a', 'fw'), true);
    expect(t2.caughtUp(empty, { agent: 'b', namespace: 'fw' }), 'same namespace').to.equal(false);
    expect(t2.caughtUp(empty, { agent: 'b', namespace: 'other' })).to.equal(true);
    const t3 = new WriteTracker(new FakeClock());
    t3.removed('Reservation', { name: 'gone' });
    const shown = { Reservation: cacheOf([obj('gone', '5')]) };
    expect(t3.caughtUp(shown, { agent: 'b' }), 'a delete of unknown agent: every scope').to.equal(
      false,
    );
    const t4 = new WriteTracker(new FakeClock());
    t4.removed('Reservation', { name: 'gone' }, { agent: 'a' });
    expect(t4.caughtUp(shown, { agent: 'b' }), 'a delete on another agent').to.equal(true);
    expect(t4.caughtUp(shown, { agent: 'a' })).to.equal(false);
  });

  it("a wait scoped to an agent never looks at other agents' writes, and old writes expire unlooked", async () => {
    const clock = new FakeClock();
    const t = new WriteTracker(clock, 1000);
    for (let i = 0; i < 50; i++)
      t.written({ ...obj(`r-${i}`, '10'), spec: { agent: `other-${i}` } }, true);
    t.written({ ...obj('mine', '10'), spec: { agent: 'a' } }, true);
    const looked: string[] = [];
    const counting: ReadonlyCache<KubeObject> = {
      size: 0,
      get: k => (looked.push(k.name), undefined),
      list: () => [],
    };
    expect(t.caughtUp({ Reservation: counting }, { agent: 'a' })).to.equal(false);
    expect(looked).to.deep.equal(['mine']);
    await clock.advance(1001);
    looked.length = 0;
    expect(t.caughtUp({ Reservation: counting })).to.equal(true);
    expect(looked, 'expired before any look').to.deep.equal([]);
  });

  it('isBehind tells a cached copy of an object this process deleted (by uid) from a new one of that name', () => {
    const t = new WriteTracker(new FakeClock());
    t.removed('Reservation', { name: 'r' }, { uid: 'uid-1' });
    expect(t.isBehind(obj('r', '9', { uid: 'uid-1' }))).to.equal(true);
    expect(t.isBehind(obj('r', '12', { uid: 'uid-2' })), 'another object of that name').to.equal(
      false,
    );
    const untold = new WriteTracker(new FakeClock());
    untold.removed('Reservation', { name: 'r' });
    expect(untold.isBehind(obj('r', '9', { uid: 'uid-1' })), 'no uid: cannot tell').to.equal(false);
  });

  it('isBehind tells a cached copy older than our own write', () => {
    const t = new WriteTracker(new FakeClock());
    t.written(obj('r', '10'));
    expect(t.isBehind(obj('r', '9'))).to.equal(true);
    expect(t.isBehind(obj('r', '10'))).to.equal(false);
    expect(t.isBehind(obj('other', '1'))).to.equal(false);
  });
});

describe('KeyGuard', () => {
  it('holds all keys or none', () => {
    const g = new KeyGuard();
    expect(g.enter(['agent/a', 'namespace/n'])).to.equal(true);
    expect(g.enter(['agent/b', 'namespace/n'])).to.equal(false);
    expect(g.enter(['agent/b', 'namespace/m'])).to.equal(true);
    g.exit(['agent/a', 'namespace/n']);
    expect(g.enter(['agent/a', 'namespace/n'])).to.equal(true);
  });

  it('parks a waiter on the held key and hands it back once, on exit', () => {
    const g = new KeyGuard<string>();
    expect(g.enter(['agent/a'])).to.equal(true);
    expect(g.enter(['agent/a', 'namespace/n'], 'o1')).to.equal(false);
    expect(g.enter(['agent/a'], 'o1')).to.equal(false);
    expect(g.enter(['agent/a'], 'o2')).to.equal(false);
    expect(g.parked).to.equal(2);
    expect(g.exit(['agent/b'])).to.deep.equal([]);
    expect(g.exit(['agent/a']).sort()).to.deep.equal(['o1', 'o2']);
    expect(g.parked).to.equal(0);
    expect(g.exit(['agent/a'])).to.deep.equal([]);
  });
});
