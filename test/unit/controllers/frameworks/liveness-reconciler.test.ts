import { expect } from 'chai';
import type { Lease } from '../../../../core/client/index.ts';
import { ClientError } from '../../../../core/client/index.ts';
import {
  ACTIVE_CONDITION,
  FRAMEWORK_LEASE_LABEL,
  frameworkLeaseName,
} from '../../../../core/framework/index.ts';
import { microTime } from '../../../../core/util/micro-time.ts';
import type { Condition, Framework } from '../../../../core/types/index.ts';
import { FrameworkLivenessReconciler } from '../../../../controllers/frameworks/index.ts';
import { FakeKind } from '../offers/fake-cluster.ts';
import type { World } from '../offers/world.ts';
import { FW, NS, frameworkObject, newWorld, silent } from '../offers/world.ts';

const signal = new AbortController().signal;
const TIMEOUT = 30_000;
const LEASE = frameworkLeaseName(FW);

interface Rig {
  readonly w: World;
  readonly leases: FakeKind<Lease>;
  /** live is what a live read of the Lease returns (the cache may lag behind it). */
  live: Lease | undefined;
  readonly r: FrameworkLivenessReconciler;
}

function rig(active?: 'True' | 'False', reason = 'Connected'): Rig {
  const w = newWorld();
  const fw = frameworkObject([], { failoverTimeoutSeconds: 60 });
  if (active !== undefined) {
    const at = new Date(w.clock.now()).toISOString();
    const c: Condition = { type: ACTIVE_CONDITION, status: active, reason, lastTransitionTime: at };
    fw.status = { conditions: [c] };
  }
  w.cluster.frameworks.put(fw);
  const leases = new FakeKind<Lease>(w.cluster);
  const r: Rig = {
    w,
    leases,
    live: undefined,
    r: new FrameworkLivenessReconciler({
      frameworks: w.cluster.frameworks.cache,
      leases: leases.cache,
      api: w.cluster.frameworks,
      leaseApi: {
        get: async () => {
          await Promise.resolve();
          if (r.live === undefined)
            throw new ClientError({ reason: 'NotFound', code: 404, message: 'no Lease' });
          return r.live;
        },
      },
      clock: w.clock,
      logger: silent,
      timeoutMs: TIMEOUT,
    }),
  };
  return r;
}

// renew writes the Lease as the SDK does, renewed now; the live read sees the same.
function renew(x: Rig): void {
  const now = microTime(x.w.clock.now());
  x.live = x.leases.put({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: LEASE, namespace: NS, labels: { [FRAMEWORK_LEASE_LABEL]: 'true' } },
    spec: { holderIdentity: 'run-1', renewTime: now, acquireTime: now, leaseDurationSeconds: 30 },
  });
}

const pass = (x: Rig) => x.r.reconcile({ namespace: NS, name: FW }, signal);
const active = (x: Rig): Condition | undefined =>
  x.w.cluster.frameworks
    .peek({ namespace: NS, name: FW })
    ?.status?.conditions?.find(c => c.type === ACTIVE_CONDITION);

describe('framework controller: liveness through the framework Lease (Mesos framework failover)', () => {
  it('a framework whose Lease goes unrenewed beyond the timeout becomes inactive from then (HeartbeatExpired): its failover timeout starts', async () => {
    const x = rig('True');
    renew(x);
    expect((await pass(x)).requeueAfterMs).to.equal(TIMEOUT + 1);
    await x.w.clock.advance(TIMEOUT - 1);
    await pass(x);
    expect(active(x)?.status).to.equal('True');
    await x.w.clock.advance(1);
    await pass(x);
    expect(active(x)).to.deep.include({
      status: 'False',
      reason: 'HeartbeatExpired',
      lastTransitionTime: new Date(x.w.clock.now()).toISOString(),
    });
    expect(active(x)?.message).to.match(
      /no renewal of Lease fw-ns\/corral-framework-fw since .*failover timeout \(60 s\) runs from now/,
    );
    const writes = x.w.cluster.writes;
    await pass(x);
    expect(x.w.cluster.writes, 'inactive stays inactive without another write').to.equal(writes);
  });

  it('renewed again after it was found stale: Active again (HeartbeatResumed), so its tasks stay', async () => {
    const x = rig('True');
    renew(x);
    await x.w.clock.advance(TIMEOUT);
    await pass(x);
    expect(active(x)?.status).to.equal('False');
    await x.w.clock.advance(5000);
    renew(x);
    await pass(x);
    expect(active(x)).to.deep.include({ status: 'True', reason: 'HeartbeatResumed' });
  });

  it('a stale cache does not disconnect a live framework: the live read of the Lease decides', async () => {
    const x = rig('True');
    renew(x);
    await x.w.clock.advance(TIMEOUT);
    x.live = { ...x.live!, spec: { ...x.live!.spec, renewTime: microTime(x.w.clock.now()) } };
    const result = await pass(x);
    expect(active(x)?.status).to.equal('True');
    expect(result.requeueAfterMs).to.equal(TIMEOUT + 1);
  });

  it('a framework that just became Active gets a whole timeout, whatever an older Lease says', async () => {
    const x = rig();
    renew(x);
    await x.w.clock.advance(TIMEOUT * 3);
    const fw = structuredClone(
      x.w.cluster.frameworks.peek({ namespace: NS, name: FW }),
    ) as Framework;
    const at = new Date(x.w.clock.now()).toISOString();
    fw.status = {
      conditions: [
        { type: ACTIVE_CONDITION, status: 'True', reason: 'Connected', lastTransitionTime: at },
      ],
    };
    x.w.cluster.frameworks.put(fw);
    expect((await pass(x)).requeueAfterMs).to.equal(TIMEOUT + 1);
    expect(active(x)?.status).to.equal('True');
  });

  it('leaves alone a framework without a Lease (it keeps Active itself) and an Active=False the framework wrote when it stopped', async () => {
    const without = rig('True');
    await without.w.clock.advance(TIMEOUT * 10);
    await pass(without);
    expect(active(without)?.status).to.equal('True');

    const stopped = rig('False', 'Disconnected');
    renew(stopped);
    await pass(stopped);
    expect(active(stopped)).to.deep.include({ status: 'False', reason: 'Disconnected' });
    expect(stopped.w.cluster.writes).to.equal(0);
  });
});
