import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import type { Offer } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { kubectlAvailable } from '../../helpers/kubectl.ts';
import type { AllocatorCluster } from './cluster.ts';
import { agentYaml, frameworkYaml, startAllocatorCluster } from './cluster.ts';

const NS = 'team-f';

describe('allocator through the API: declines, filters, suppression', function () {
  this.timeout(60_000);
  let cluster: AllocatorCluster;

  before(function () {
    if (!kubectlAvailable()) this.skip();
  });
  beforeEach(async () => {
    cluster = await startAllocatorCluster();
    cluster.controllers('ctl-a');
    await cluster.apply(agentYaml('node-1', 2, 1024) + frameworkYaml(NS, 'fw', ['web']));
  });
  afterEach(async () => {
    await cluster.stop();
  });

  /** theOffer waits for the one offer in the framework's namespace (other than `not`). */
  async function theOffer(not?: string, timeoutMs = 10_000, stepMs = 25): Promise<Offer> {
    return eventually(
      async () => {
        const offers = (await cluster.offers(NS)).filter(o => o.metadata.name !== not);
        expect(offers).to.have.length(1);
        return offers[0] as Offer;
      },
      timeoutMs,
      stepMs,
    );
  }

  /** decline answers an offer as a framework does: a merge patch at the offer's version. */
  async function decline(o: Offer, refuseSeconds: number): Promise<void> {
    await cluster.client.for(corralKinds.offers).patch(
      { namespace: NS, name: o.metadata.name ?? '' },
      {
        metadata: { resourceVersion: o.metadata.resourceVersion ?? '' },
        spec: { response: { decline: { filters: { refuseSeconds } } } },
      },
    );
  }

  async function gone(o: Offer): Promise<void> {
    await eventually(async () => {
      const names = (await cluster.offers(NS)).map(x => x.metadata.name);
      expect(names).not.to.include(o.metadata.name);
    });
  }

  it('keeps a declined agent away from the framework for refuseSeconds, then offers it again', async () => {
    const first = await theOffer();
    const declinedAt = Date.now();
    await decline(first, 3);
    await gone(first);
    const next = await theOffer(first.metadata.name, 10_000);
    const after = Date.now() - declinedAt;
    // the filter runs from the deletion (just after the decline); one 150 ms batch and polling
    // add to it, and a busy machine more: generous margins on both sides
    expect(after, 'offered again too early').to.be.at.least(2900);
    expect(after, 'offered again too late').to.be.below(6000);
    expect(next.spec.agent).to.equal('node-1');
  });

  it('offers a declined agent again at once when refuseSeconds is 0', async () => {
    const first = await theOffer();
    const declinedAt = Date.now();
    await decline(first, 0);
    await theOffer(first.metadata.name);
    expect(Date.now() - declinedAt).to.be.below(1500);
  });

  it('stops offering a suppressed role and resumes when the suppression is lifted', async () => {
    const frameworks = cluster.client.for(corralKinds.frameworks);
    const first = await theOffer();
    await frameworks.patch({ namespace: NS, name: 'fw' }, { spec: { suppressedRoles: ['web'] } });
    // suppression keeps outstanding offers (Mesos SUPPRESS); declining returns the resources
    await new Promise(r => setTimeout(r, 300));
    await decline(first, 0);
    await gone(first);
    // a dozen allocation intervals with nothing offered
    for (let i = 0; i < 12; i++) {
      await new Promise(r => setTimeout(r, 150));
      expect(await cluster.offers(NS), 'offered while suppressed').to.have.length(0);
    }
    const liftedAt = Date.now();
    await frameworks.patch({ namespace: NS, name: 'fw' }, { spec: { suppressedRoles: [] } });
    await theOffer(first.metadata.name);
    expect(Date.now() - liftedAt).to.be.below(1500);
  });

  it('clears filters on REVIVE (a new value of the corral.dev/revive annotation)', async () => {
    const first = await theOffer();
    await decline(first, 60);
    await gone(first);
    await new Promise(r => setTimeout(r, 500));
    expect(await cluster.offers(NS), 'filtered for 60 s').to.have.length(0);
    const revivedAt = Date.now();
    await cluster.kubectl.ok(['annotate', '-n', NS, 'frameworks/fw', 'corral.dev/revive=1']);
    await theOffer(first.metadata.name);
    expect(Date.now() - revivedAt).to.be.below(2500);
  });
});
