import { expect } from 'chai';
import { ClientError } from '../../../core/client/index.ts';
import type { Framework } from '../../../core/types/index.ts';
import { revivePatch, suppressPatch, withActive } from '../../../sdk/index.ts';
import { register } from '../../../sdk/registration.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { FW, NS, framework } from './builders.ts';
import { FakeApi } from './fakes.ts';

describe('sdk registration', () => {
  const clock = new FakeClock();
  const spec = { roles: ['a'], principal: 'p', failoverTimeoutSeconds: 60 };

  it('creates the Framework on first registration', async () => {
    const api = new FakeApi<Framework>();
    const got = await register({ api, namespace: NS, name: FW, spec, clock });
    expect(got.reregistered).to.equal(false);
    expect(got.framework.spec).to.deep.equal(spec);
  });

  it('re-registers over an existing record: spec replaced, annotations kept', async () => {
    const api = new FakeApi<Framework>();
    const old = framework({ roles: ['a', 'b'], suppressedRoles: ['b'] });
    old.metadata.annotations = { note: 'kept' };
    api.put(old);
    api.fail('update', new ClientError({ reason: 'Conflict', code: 409, message: 'raced' }));
    const got = await register({ api, namespace: NS, name: FW, spec, clock });
    expect(got.reregistered).to.equal(true);
    expect(got.framework.spec).to.deep.equal(spec);
    expect(got.framework.metadata.annotations).to.deep.equal({ note: 'kept' });
  });

  it('waits for a namespace admission does not see yet, then gives up with NotFound', async () => {
    const api = new FakeApi<Framework>();
    const notFound = () => new ClientError({ reason: 'NotFound', code: 404, message: 'ns' });
    api.fail('create', notFound());
    const first = register({ api, namespace: NS, name: FW, spec, clock });
    await clock.advance(1000);
    expect((await first).reregistered).to.equal(false);

    const never = new FakeApi<Framework>();
    for (let i = 0; i < 50; i++) never.fail('create', notFound());
    const failing = register({ api: never, namespace: NS, name: FW, spec, clock }).catch(
      (e: unknown) => e,
    );
    await clock.advance(60_000);
    expect(await failing)
      .to.be.instanceOf(ClientError)
      .and.include({ reason: 'NotFound' });
  });

  it('withActive flips the condition and keeps its transition time while unchanged', () => {
    const on = withActive(undefined, true, Date.parse('2025-01-01T00:00:00Z'));
    expect(on).to.deep.equal([
      {
        type: 'Active',
        status: 'True',
        reason: 'Connected',
        message: 'the framework is connected',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ]);
    const again = withActive(on, true, Date.parse('2025-01-02T00:00:00Z'));
    expect(again[0]?.lastTransitionTime).to.equal('2025-01-01T00:00:00Z');
    const off = withActive(again, false, Date.parse('2025-01-03T00:00:00Z'));
    expect(off.map(c => [c.status, c.lastTransitionTime])).to.deep.equal([
      ['False', '2025-01-03T00:00:00Z'],
    ]);
  });

  it('suppressPatch and revivePatch pin the resourceVersion and keep spec.roles order', () => {
    const fw = framework({ roles: ['a', 'b', 'c'], suppressedRoles: ['c'] });
    fw.metadata.resourceVersion = '7';
    expect(suppressPatch(fw, ['a'])).to.deep.equal({
      metadata: { resourceVersion: '7' },
      spec: { suppressedRoles: ['a', 'c'] },
    });
    expect(revivePatch(fw, undefined, 't1')).to.deep.equal({
      metadata: { resourceVersion: '7', annotations: { 'corral.dev/revive': 't1' } },
      spec: { suppressedRoles: null },
    });
    fw.metadata.annotations = { 'corral.dev/revive': 't1' };
    expect(() => revivePatch(fw, undefined, 't1')).to.throw(RangeError);
    expect(() => suppressPatch(fw, ['z'])).to.throw(RangeError, /not subscribed/);
  });
});
