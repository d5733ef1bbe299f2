import { expect } from 'chai';
import { pino } from 'pino';
import { LeaderElector } from '../../../../controllers/runtime/leader-election.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { MemoryLeases } from './memory-leases.ts';

const logger = pino({ level: 'silent' });
interface Candidate {
  id: string;
  store: ReturnType<MemoryLeases['view']>;
  stop: AbortController;
  terms: { from: number; to?: number }[];
  done: Promise<void>;
}

function candidate(id: string, leases: MemoryLeases, clock: FakeClock): Candidate {
  const c: Candidate = {
    id,
    store: leases.view(),
    stop: new AbortController(),
    terms: [],
    done: Promise.resolve(),
  };
  const elector = new LeaderElector({
    leases: c.store,
    namespace: 'corral-system',
    name: 'corral-controllers',
    identity: id,
    leaseDurationMs: 2_000,
    renewDeadlineMs: 1_500,
    retryPeriodMs: 500,
    clock,
    logger,
    random: () => 0,
    onStartedLeading: signal =>
      new Promise(resolve => {
        const term: { from: number; to?: number } = { from: clock.now() };
        c.terms.push(term);
        signal.addEventListener('abort', () => {
          term.to = clock.now();
          resolve();
        });
      }),
  });
  c.done = elector.run(c.stop.signal);
  return c;
}

const leading = (c: Candidate): boolean => c.terms.some(t => t.to === undefined);

async function step(clock: FakeClock, totalMs: number, each: () => void): Promise<void> {
  for (let t = 0; t < totalMs; t += 50) {
    await clock.advance(50);
    each();
  }
}

describe('LeaderElector', () => {
  let clock: FakeClock;
  let leases: MemoryLeases;
  beforeEach(() => {
    clock = new FakeClock();
    leases = new MemoryLeases();
  });

  it('lets exactly one of two candidates lead, and writes client-go’s record', async () => {
    const a = candidate('a', leases, clock);
    const b = candidate('b', leases, clock);
    await step(clock, 5_000, () => expect(leading(a) && leading(b)).to.equal(false));
    expect([leading(a), leading(b)].filter(Boolean)).to.have.length(1);
    const spec = leases.lease?.spec;
    const holder = leading(a) ? 'a' : 'b';
    expect(spec).to.include({
      holderIdentity: holder,
      leaseDurationSeconds: 2,
      leaseTransitions: 0,
    });
    expect(spec?.renewTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(spec!.renewTime!)).to.be.greaterThan(Date.parse(spec!.acquireTime!));
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  it('releases on stop so the other candidate takes over at its next retry', async () => {
    const a = candidate('a', leases, clock);
    await step(clock, 100, () => undefined);
    expect(leading(a)).to.equal(true);
    const b = candidate('b', leases, clock);
    await step(clock, 3_000, () => undefined);
    expect(leading(b)).to.equal(false);
    a.stop.abort();
    await a.done;
    expect(leases.lease?.spec?.holderIdentity).to.equal('');
    const releasedAt = clock.now();
    await step(clock, 2_000, () => undefined);
    expect(leading(b)).to.equal(true);
    expect(b.terms[0]!.from - releasedAt).to.be.at.most(1_100);
    expect(leases.lease?.spec).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    b.stop.abort();
    await b.done;
  });

  it('a cut-off leader steps down before anyone else may lead, and the other takes over after expiry', async () => {
    const a = candidate('a', leases, clock);
    await step(clock, 100, () => undefined);
    const b = candidate('b', leases, clock);
    await step(clock, 2_000, () => undefined);
    a.store.down = true;
    const cutAt = clock.now();
    await step(clock, 6_000, () => expect(leading(a) && leading(b)).to.equal(false));
    expect(a.terms[0]!.to! - cutAt).to.be.at.most(1_500);
    expect(leading(b)).to.equal(true);
    expect(b.terms[0]!.from).to.be.at.least(a.terms[0]!.to!);
    // b last saw a renewal at most one retry before the cut, and waits a lease duration after it
    expect(b.terms[0]!.from - cutAt).to.be.at.least(1_500);
    expect(leases.lease?.spec).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    await a.done; // a's term ended when it lost the lease
    b.stop.abort();
    await b.done;
  });
});
