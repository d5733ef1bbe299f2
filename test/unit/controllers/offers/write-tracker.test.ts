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
});
