import { expect } from 'chai';
import { ClientError } from '../../../core/client/index.ts';
import {
  ACTIVE_CONDITION,
  FRAMEWORK_LEASE_LABEL,
  frameworkLeaseName,
} from '../../../core/framework/index.ts';
import type { Scheduler } from '../../../sdk/index.ts';
import { FrameworkFailedOver } from '../../../sdk/index.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { FW, NS, framework } from './builders.ts';
import type { Rig } from './fakes.ts';
import { FakeApi, rig } from './fakes.ts';

const INTERVAL = 5000;
const LEASE = FakeApi.key({ namespace: NS, name: frameworkLeaseName(FW) });

describe('sdk heartbeat: the framework Lease (liveness for the framework controller)', () => {
  let clock: FakeClock;
  let r: Rig;
  let errors: unknown[];

  beforeEach(() => {
    clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
    errors = [];
    const scheduler: Scheduler = { onError: e => errors.push(e) };
    r = rig({
      scheduler,
      clock,
      framework: framework(),
      heartbeat: { identity: 'run-1', intervalMs: INTERVAL },
    });
  });
  afterEach(async () => {
    await r.driver.stop({ deactivate: false });
  });

  const lease = () => r.apis.leases.objects.get(LEASE);
  const active = () =>
    r.apis.frameworks.objects
      .get(FakeApi.key({ namespace: NS, name: FW }))
      ?.status?.conditions?.find(c => c.type === ACTIVE_CONDITION);

  it('connecting takes the Lease for this run (labelled, owned by the Framework), then marks the framework Active', async () => {
    await r.driver.markActive();
    expect(lease()?.spec).to.deep.include({
      holderIdentity: 'run-1',
      renewTime: '2025-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    expect(lease()?.metadata.labels).to.deep.equal({ [FRAMEWORK_LEASE_LABEL]: 'true' });
    expect(lease()?.metadata.ownerReferences).to.deep.equal([
      { apiVersion: 'corral.dev/v1alpha1', kind: 'Framework', name: FW, uid: `uid-${FW}` },
    ]);
    expect(active()?.status).to.equal('True');
  });

  it('renews the Lease every interval while the driver runs, and not after it stops', async () => {
    await r.driver.markActive();
    await clock.advance(INTERVAL);
    expect(lease()?.spec?.renewTime).to.equal('2025-01-01T00:00:05.000000Z');
    expect(lease()?.spec?.acquireTime).to.equal('2025-01-01T00:00:00.000000Z');
    await clock.advance(INTERVAL);
    expect(lease()?.spec?.renewTime).to.equal('2025-01-01T00:00:10.000000Z');
    await r.driver.stop();
    const updates = r.apis.leases.calls.filter(c => c.verb === 'update').length;
    await clock.advance(INTERVAL * 3);
    expect(r.apis.leases.calls.filter(c => c.verb === 'update')).to.have.length(updates);
    expect(active()?.status).to.equal('False');
  });

  it('a renewal that fails is tried again at the next beat', async () => {
    await r.driver.markActive();
    r.apis.leases.fail(
      'get',
      new ClientError({ reason: 'Transport', code: 0, message: 'connection reset' }),
    );
    await clock.advance(INTERVAL);
    expect(lease()?.spec?.renewTime).to.equal('2025-01-01T00:00:00.000000Z');
    await clock.advance(INTERVAL);
    expect(lease()?.spec?.renewTime).to.equal('2025-01-01T00:00:10.000000Z');
    expect(errors).to.deep.equal([]);
  });

  it('Mesos "Framework failed over": a newer run holding the Lease stops this driver, which leaves Active and the offers to that run', async () => {
    await r.driver.markActive();
    const held = lease()!;
    r.apis.leases.put({ ...held, spec: { ...held.spec, holderIdentity: 'run-2' } });
    await clock.advance(INTERVAL);
    await r.driver.done;
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(FrameworkFailedOver);
    expect(r.driver.stopped).to.equal(true);
    expect(lease()?.spec?.holderIdentity).to.equal('run-2');
    expect(active()?.status).to.equal('True');
  });

  it('a new run takes the Lease over from an old one: the failover counts as a transition', async () => {
    await r.driver.markActive();
    const held = lease()!;
    r.apis.leases.put({ ...held, spec: { ...held.spec, holderIdentity: 'run-0' } });
    await r.driver.markActive();
    expect(lease()?.spec).to.deep.include({ holderIdentity: 'run-1', leaseTransitions: 1 });
  });
});
