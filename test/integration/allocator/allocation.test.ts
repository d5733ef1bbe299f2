import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import { parseQuantities, parseResourceList } from '../../../core/resources/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { kubectlAvailable } from '../../helpers/kubectl.ts';
import type { AllocatorCluster } from './cluster.ts';
import { agentYaml, frameworkYaml, offered, scalar, startAllocatorCluster } from './cluster.ts';

// Four agents of cpus:4;mem:8192; the last also has cpus:2 statically reserved for `batch`.
const AGENTS = [
  agentYaml('agent-1', 4, 8192),
  agentYaml('agent-2', 4, 8192),
  agentYaml('agent-3', 4, 8192),
  agentYaml(
    'agent-4',
    4,
    8192,
    `  additionalResources:
    - { name: cpus, scalar: 2, reservations: [{ type: STATIC, role: batch }] }
`,
  ),
].join('');

// prod has a quota of one agent (guarantee = limit); batch has weight 2, analytics weight 1.
const ROLES_AND_FRAMEWORKS = [
  `---
apiVersion: corral.dev/v1alpha1
kind: Role
metadata: { name: batch }
spec: { role: batch, weight: 2 }
---
apiVersion: corral.dev/v1alpha1
kind: Quota
metadata: { name: prod }
spec:
  role: prod
  guarantees: { cpus: 4, mem: 8192 }
  limits: { cpus: 4, mem: 8192 }
`,
  frameworkYaml('team-prod', 'web', ['prod']),
  frameworkYaml('team-batch', 'etl', ['batch']),
  frameworkYaml('team-analytics', 'adhoc', ['analytics']),
].join('');

describe('allocator through the API: offers from what the operator applied', function () {
  this.timeout(60_000);
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

  it('offers the quota role its guarantee, splits the rest by weighted DRF, and keeps reserved resources to their role', async () => {
    cluster.controllers('ctl-a');
    // Frameworks first: offers are never rebalanced (as in Mesos), so agents that arrived
    // before every framework would all go to whichever came first.
    await cluster.apply(ROLES_AND_FRAMEWORKS);
    await cluster.apply(AGENTS);

    // Stage 1 gives prod exactly its guarantee (its limit keeps it out of stage 2). Stage 2
    // offers whole agents: analytics wins the first tie (by name), then batch, with half the
    // share per resource (weight 2), takes the next two; only batch sees its reservation.
    await eventually(async () => {
      const all = await cluster.offers();
      const by = (ns: string) => offered(all.filter(o => o.metadata.namespace === ns));
      const [prod, batch, analytics] = [by('team-prod'), by('team-batch'), by('team-analytics')];
      expect([scalar(prod, 'cpus'), scalar(prod, 'mem')]).to.deep.equal([4, 8192]);
      expect([scalar(analytics, 'cpus'), scalar(analytics, 'mem')]).to.deep.equal([4, 8192]);
      expect([scalar(batch, 'cpus'), scalar(batch, 'mem')]).to.deep.equal([10, 16384]);
    }, 15_000);

    const all = await cluster.offers();
    for (const o of all) {
      const resources = parseResourceList(o.spec.resources, 'spec.resources');
      for (const [role] of resources.reservations()) {
        expect(role, `${o.metadata.name} offers a reservation of ${role}`).to.equal('batch');
        expect(o.metadata.namespace).to.equal('team-batch');
      }
      // each offer: one agent, one role, in the framework's namespace, as Mesos makes them
      expect(o.spec.role).to.equal(
        { 'team-prod': 'prod', 'team-batch': 'batch', 'team-analytics': 'analytics' }[
          o.metadata.namespace ?? ''
        ],
      );
      expect(o.spec.hostname).to.equal(`${o.spec.agent}.test`);
    }
    const reserved = offered(all.filter(o => o.spec.agent === 'agent-4'))
      .reservations()
      .get('batch');
    expect(reserved && scalar(reserved, 'cpus')).to.equal(2);

    // Quota status: nothing consumed (offers are not consumption), the guarantee on offer,
    // nothing left to hold back.
    await eventually(async () => {
      const q = await cluster.client.for(corralKinds.quotas).get({ name: 'prod' });
      const figure = (m: Record<string, string | number> | undefined) =>
        parseQuantities(m ?? {}, 'status');
      expect(figure(q.status?.consumed).isEmpty()).to.equal(true);
      expect(
        figure(q.status?.offered).equals(parseQuantities({ cpus: 4, mem: 8192 }, 'x')),
      ).to.equal(true);
      expect(figure(q.status?.headroom).isEmpty()).to.equal(true);
    });
  });

  it('shows offers to kubectl in the framework namespace with their resources', async () => {
    cluster.controllers('ctl-a');
    await cluster.apply(agentYaml('solo', 2, 1024) + frameworkYaml('team-x', 'fx', ['x']));
    const out = await eventually(async () => {
      const text = await cluster.kubectl.ok(['get', 'offers', '-n', 'team-x', '-o', 'json']);
      const list = JSON.parse(text) as { items: { spec: { agent: string; quantities: object } }[] };
      expect(list.items).to.have.length(1);
      return list.items[0];
    });
    expect(out?.spec.agent).to.equal('solo');
    expect(out?.spec.quantities).to.deep.equal({ cpus: '2', mem: '1024' });
  });
});
