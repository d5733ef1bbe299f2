import { expect } from 'chai';
import { builtinKinds, corralKinds, isConflict, isNotFound } from '../../../core/client/index.ts';
import { parseResourceMap } from '../../../core/resources/index.ts';
import type { Offer } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { kubectlAvailable } from '../../helpers/kubectl.ts';
import type { AllocatorCluster } from './cluster.ts';
import { agentYaml, frameworkYaml, offered, startAllocatorCluster } from './cluster.ts';

const AGENTS = 10;
const NAMESPACES = ['team-a', 'team-b', 'team-c'];

/** epochOf reads the allocator term out of an offer name: `<agent>-<role>-<epoch>-<seq>`. */
const epochOf = (o: Offer): string => (o.metadata.name ?? '').split('-').slice(-2)[0] ?? '';

describe('allocator through the API: two controllers processes', function () {
  this.timeout(90_000);
  let cluster: AllocatorCluster;

  before(function () {
    if (!kubectlAvailable()) this.skip();
  });
  beforeEach(async () => {
    cluster = await startAllocatorCluster();
  });
  afterEach(async () => {
    await cluster.stop();
  });

  /**
   * churn declines every unanswered offer of one framework at once (refuseSeconds 0), like a
   * busy framework; the others keep theirs, which a new leader must not offer again.
   */
  function churn(signal: AbortSignal): Promise<void> {
    const offers = cluster.client.for(corralKinds.offers);
    const answer = async (o: Offer): Promise<void> => {
      try {
        await offers.patch(
          { namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' },
          {
            metadata: { resourceVersion: o.metadata.resourceVersion ?? '' },
            spec: { response: { decline: { filters: { refuseSeconds: 0 } } } },
          },
        );
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    };
    return (async () => {
      while (!signal.aborted) {
        const open = (await cluster.offers('team-a')).filter(o => o.spec.response === undefined);
        await Promise.all(open.map(answer));
        await new Promise(r => setTimeout(r, 20));
      }
    })();
  }

  it('publishes from the leader only, and a new leader takes over without ever offering an agent twice', async () => {
    await cluster.apply(
      NAMESPACES.map((ns, i) => frameworkYaml(ns, `fw-${i}`, [`r${i}`])).join(''),
    );
    const agentYamls = Array.from({ length: AGENTS }, (_, i) => agentYaml(`node-${i}`, 4, 4096));
    await cluster.apply(agentYamls.join(''));
    const total = parseResourceMap({ cpus: 4, mem: 4096 }, 'total');

    const a = cluster.controllers('ctl-a');
    await eventually(async () => expect(await cluster.offers()).to.have.length(AGENTS), 15_000);
    const b = cluster.controllers('ctl-b');

    // Sample every offer at one revision, again and again, while frameworks churn the offers
    // and the leadership moves: per agent, what is on offer never exceeds what it has.
    const stop = new AbortController();
    const epochs = new Map<string, number>();
    let samples = 0;
    const violations: string[] = [];
    const sampler = (async () => {
      while (!stop.signal.aborted) {
        const all = await cluster.offers();
        samples += 1;
        for (const o of all) if (!epochs.has(epochOf(o))) epochs.set(epochOf(o), Date.now());
        for (let i = 0; i < AGENTS; i++) {
          const on = all.filter(o => o.spec.agent === `node-${i}`);
          if (!total.contains(offered(on)))
            violations.push(`node-${i} offered twice: ${on.map(o => o.metadata.name).join(', ')}`);
        }
        await new Promise(r => setTimeout(r, 10));
      }
    })();
    const churning = churn(stop.signal);
    try {
      // steady state under ctl-a: one term, one epoch, ctl-b only waits
      await new Promise(r => setTimeout(r, 2000));
      const lease = await cluster.client
        .for(builtinKinds.leases)
        .get({ namespace: 'corral-system', name: 'corral-controllers' });
      expect(lease.spec?.holderIdentity).to.equal('ctl-a');
      expect([...epochs.keys()], 'offers of one term only while ctl-a leads').to.have.length(1);

      const abortedAt = Date.now();
      await a.stop();
      // ctl-b takes over, rebuilds, and publishes offers of its own term
      await eventually(() => expect(epochs.size).to.equal(2), 10_000, 20);
      const takeover = [...epochs.values()].reduce((x, y) => Math.max(x, y)) - abortedAt;
      expect(takeover).to.be.below(5000);
      // keep sampling through the new term's churn
      await new Promise(r => setTimeout(r, 2000));
    } finally {
      stop.abort();
      await Promise.all([sampler, churning]);
    }
    expect(violations, violations.slice(0, 5).join('\n')).to.have.length(0);
    expect(samples).to.be.above(50);
    await b.stop();
  });
});
