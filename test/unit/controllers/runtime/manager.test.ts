import { expect } from 'chai';
import { pino } from 'pino';
import { Manager } from '../../../../controllers/runtime/manager.ts';
import type { Runnable } from '../../../../controllers/runtime/runnable.ts';
import { runnableOf } from '../../../../controllers/runtime/runnable.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';
import { MemoryLeases } from './memory-leases.ts';

const logger = pino({ level: 'silent' });

/** probe is a runnable that records when it runs and waits for its signal. */
function probe(
  name: string,
  needsLeaderElection = true,
): Runnable & { running: boolean; starts: number } {
  const p = {
    running: false,
    starts: 0,
    ...runnableOf(
      name,
      async signal => {
        p.running = true;
        p.starts += 1;
        await new Promise(r => signal.addEventListener('abort', r, { once: true }));
        p.running = false;
      },
      { needsLeaderElection },
    ),
  };
  return p;
}

describe('Manager', () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
  });

  it('runs every runnable without leader election and stops them all on abort', async () => {
    const m = new Manager({ clock, logger });
    const a = probe('a');
    const b = probe('b', false);
    m.add(a).add(b);
    const stop = new AbortController();
    const done = m.start(stop.signal);
    await settle();
    expect([a.running, b.running, m.isLeader()]).to.deep.equal([true, true, true]);
    stop.abort();
    await done;
    expect([a.running, b.running]).to.deep.equal([false, false]);
  });

  it('stops everything and rejects with the error when one runnable fails', async () => {
    const m = new Manager({ clock, logger });
    const a = probe('a');
    m.add(a).add(runnableOf('broken', () => Promise.reject(new Error('broken for good'))));
    const err = await m.start(new AbortController().signal).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('broken for good');
    expect(a.running).to.equal(false);
  });

  it('starts leader runnables only while leading, and releases the lease on stop', async () => {
    const leases = new MemoryLeases();
    const rival = leases.view();
    // another process holds a fresh lease
    await rival.create(
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { namespace: 'corral-system', name: 'ctl' },
        spec: { holderIdentity: 'rival', leaseDurationSeconds: 2 },
      },
      {},
    );
    const m = new Manager({
      clock,
      logger,
      leaderElection: {
        leases: leases.view(),
        namespace: 'corral-system',
        name: 'ctl',
        identity: 'me',
        leaseDurationMs: 2_000,
        retryPeriodMs: 500,
      },
    });
    const leader = probe('leader-only');
    const always = probe('always', false);
    m.add(leader).add(always);
    const stop = new AbortController();
    const done = m.start(stop.signal);
    await clock.advance(1_000);
    expect([always.running, leader.running, m.isLeader()]).to.deep.equal([true, false, false]);
    // the rival never renews: after the lease duration (by our clock) we take over
    for (let t = 0; t < 4_000 && !leader.running; t += 100) await clock.advance(100);
    expect([leader.running, m.isLeader()]).to.deep.equal([true, true]);
    expect(leases.lease?.spec).to.include({ holderIdentity: 'me', leaseTransitions: 1 });
    stop.abort();
    await done;
    expect(leader.running).to.equal(false);
    expect(leases.lease?.spec?.holderIdentity).to.equal('');
  });
});
