// The loop: batching, event-driven runs, offer timeout (Mesos MasterTest.OfferTimeout,
// OfferNotRescindedOnceDeclined), publishing failures and quota status, with a fake clock.
import { expect } from 'chai';
import { parseLimitsText, parseQuantitiesText } from '../../../../core/resources/index.ts';
import { makeConfig } from '../../../../controllers/allocator/config.ts';
import type { ConfigInput } from '../../../../controllers/allocator/config.ts';
import type {
  OfferDecision,
  RescindDecision,
} from '../../../../controllers/allocator/decisions.ts';
import type { AllocatorPublisher } from '../../../../controllers/allocator/loop.ts';
import { AllocatorLoop } from '../../../../controllers/allocator/loop.ts';
import { AllocatorModel } from '../../../../controllers/allocator/model/model.ts';
import type { QuotaRoleStatus } from '../../../../controllers/allocator/quota-status.ts';
import { seededRandom } from '../../../../controllers/allocator/random.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { AGENT_CAPS, res } from './builders.ts';

class FakePublisher implements AllocatorPublisher {
  offers: OfferDecision[] = [];
  rescinds: RescindDecision[] = [];
  quota: QuotaRoleStatus[][] = [];
  failNext = false;
  answered = new Set<string>();

  publishOffers(decisions: readonly OfferDecision[]): Promise<readonly string[]> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('API down'));
    }
    this.offers.push(...decisions);
    return Promise.resolve([]);
  }

  rescindOffers(rescinds: readonly RescindDecision[]): Promise<readonly string[]> {
    this.rescinds.push(...rescinds);
    return Promise.resolve(rescinds.filter(r => this.answered.has(r.offerId)).map(r => r.offerId));
  }

  writeQuotaStatus(statuses: readonly QuotaRoleStatus[]): Promise<void> {
    this.quota.push([...statuses]);
    return Promise.resolve();
  }
}

function setup(config: ConfigInput = {}) {
  const clock = new FakeClock();
  const model = new AllocatorModel();
  const publisher = new FakePublisher();
  const loop = new AllocatorLoop({
    model,
    config: makeConfig(config),
    clock,
    publisher,
    random: seededRandom(3),
  });
  const signal = new AbortController().signal;
  const agent = (id: string) =>
    model.upsertAgent({ id, total: res('cpus:2;mem:1024'), capabilities: AGENT_CAPS });
  model.upsertFramework({ id: 'ns/f', roles: ['role'], capabilities: ['MULTI_ROLE'] });
  return { clock, model, publisher, loop, signal, agent };
}

describe('allocator: the loop', () => {
  it('runs a full cycle first, then only on the interval or when asked', async () => {
    const { loop, signal, agent, clock, publisher } = setup();
    agent('a1');
    expect((await loop.step(signal)).cycle).to.equal('full');
    expect(publisher.offers).to.have.length(1);
    expect((await loop.step(signal)).cycle).to.equal('none');
    agent('a2');
    loop.requestAgents(['a2']);
    loop.requestAgents(['a2', 'a3']);
    const partial = await loop.step(signal);
    expect(partial).to.include({ cycle: 'agents', offered: 1 });
    await clock.advance(1000);
    expect((await loop.step(signal)).cycle).to.equal('full');
  });

  it('OfferTimeout: an unanswered offer is rescinded and its resources offered again', async () => {
    const { loop, signal, agent, clock, publisher, model } = setup({ offerTimeoutMs: 3000 });
    agent('a1');
    await loop.step(signal);
    const [first] = publisher.offers;
    expect(first?.expiresAt).to.equal(clock.now() + 3000);
    await clock.advance(3000);
    const report = await loop.step(signal);
    expect(report.rescinded).to.equal(1);
    expect(publisher.rescinds.map(r => [r.offerId, r.reason])).to.deep.equal([
      [first?.offerId, 'timeout'],
    ]);
    expect(publisher.offers).to.have.length(2);
    expect(model.offers.has(first?.offerId ?? '')).to.equal(false);
  });

  it('OfferNotRescindedOnceDeclined: an answered offer is not rescinded by the timeout', async () => {
    const { loop, signal, agent, clock, publisher, model } = setup({ offerTimeoutMs: 3000 });
    agent('a1');
    await loop.step(signal);
    model.markAnswered(publisher.offers[0]?.offerId ?? '');
    await clock.advance(5000);
    expect((await loop.step(signal)).rescinded).to.equal(0);
    expect(publisher.rescinds).to.have.length(0);
  });

  it('keeps an offer answered while the rescind raced with the answer', async () => {
    const { loop, signal, agent, clock, publisher, model } = setup({ offerTimeoutMs: 1000 });
    agent('a1');
    await loop.step(signal);
    const id = publisher.offers[0]?.offerId ?? '';
    publisher.answered.add(id);
    await clock.advance(1000);
    await loop.step(signal);
    expect(model.offers.get(id)?.answered).to.equal(true);
    expect(publisher.offers).to.have.length(1);
  });

  it('returns offers it could not publish, and withdraws them in case they were created', async () => {
    const { loop, signal, agent, publisher, model } = setup();
    agent('a1');
    publisher.failNext = true;
    const report = await loop.step(signal);
    expect(report).to.include({ failed: 1, offered: 0 });
    expect(model.offers.size).to.equal(0);
    loop.requestAll();
    await loop.step(signal);
    expect(publisher.rescinds.map(r => r.reason)).to.deep.equal(['publish-failed']);
    expect(publisher.offers).to.have.length(1);
  });

  it('writes quota status when a figure changes, and only then', async () => {
    const { loop, signal, agent, publisher, model } = setup();
    model.setQuota('role', {
      guarantees: parseQuantitiesText('cpus:4;mem:2048'),
      limits: parseLimitsText('cpus:8'),
    });
    agent('a1');
    await loop.step(signal);
    expect(publisher.quota).to.have.length(1);
    const [status] = publisher.quota[0] ?? [];
    expect(status?.role).to.equal('role');
    expect(status?.offered.toString()).to.equal('cpus:2; mem:1024');
    expect(status?.consumed.toString()).to.equal('{}');
    expect(status?.headroom.toString()).to.equal('cpus:2; mem:1024');
    loop.requestAll();
    await loop.step(signal);
    expect(publisher.quota).to.have.length(1);
  });

  it('run: sleeps until the next batch, and wakes at once when asked', async () => {
    const { loop, agent, clock, publisher } = setup();
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await clock.waitForSleepers(1);
    agent('a1');
    loop.requestAgents(['a1']);
    await clock.waitForSleepers(1);
    expect(publisher.offers).to.have.length(1);
    agent('a2');
    await clock.advance(1000);
    await clock.waitForSleepers(1);
    expect(publisher.offers).to.have.length(2);
    stop.abort();
    await running;
  });
});
