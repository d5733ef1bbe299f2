import { expect } from 'chai';
import type { AgentSpec } from '../../../../core/types/index.ts';
import { validateAgent, validateAgentUpdate } from '../../../../core/validation/index.ts';

const base = (over: Partial<AgentSpec> = {}): AgentSpec => ({
  hostname: 'node-1',
  resources: { cpus: 4, mem: '8Gi', ports: '31000-32000' },
  additionalResources: [
    { name: 'cpus', scalar: 2, reservations: [{ type: 'STATIC', role: 'eng' }] },
  ],
  attributes: { rack: 'r1' },
  faultDomain: { region: 'eu', zone: 'eu-1a' },
  reconfigurationPolicy: 'additive',
  ...over,
});
const updateFields = (old: AgentSpec, next: AgentSpec): (string | undefined)[] =>
  validateAgentUpdate(old, next).map(c => c.field);

describe('validateAgent', () => {
  it('accepts both resource forms together', () => {
    expect(validateAgent(base())).to.deep.equal([]);
  });

  it('reports resources Mesos would reject, at their path', () => {
    const bad = base({
      resources: { cpus: '1-2' },
      additionalResources: [{ name: 'mem', scalar: 1, shared: true }],
    });
    expect(validateAgent(bad).map(c => c.field)).to.deep.equal([
      'spec.resources.cpus',
      'spec.additionalResources[0]',
    ]);
  });

  it('forbids revocable or allocated totals', () => {
    const spec = base({
      additionalResources: [{ name: 'cpus', scalar: 1, revocable: true, allocationRole: 'eng' }],
    });
    expect(validateAgent(spec).map(c => c.field)).to.deep.equal([
      'spec.additionalResources[0].allocationRole',
      'spec.additionalResources[0].revocable',
    ]);
  });

  it('asks RESOURCE_PROVIDER to come with the capabilities Mesos requires beside it', () => {
    const spec = base({ capabilities: ['RESOURCE_PROVIDER', 'MULTI_ROLE'] });
    expect(validateAgent(spec)[0]?.message).to.match(/HIERARCHICAL_ROLE, RESERVATION_REFINEMENT$/);
  });
});

describe('validateAgentUpdate', () => {
  it('lets resources and attributes grow under the additive policy', () => {
    const next = base({
      resources: { cpus: 8, mem: '8Gi', ports: '31000-33000', gpus: 1 },
      attributes: { rack: 'r1', ssd: 'true' },
    });
    expect(updateFields(base(), next)).to.deep.equal([]);
  });

  it('refuses to shrink resources or change attributes under the additive policy', () => {
    expect(
      updateFields(base(), base({ resources: { cpus: 2, mem: '8Gi', ports: '31000-32000' } })),
    ).to.deep.equal(['spec.resources']);
    expect(updateFields(base(), base({ additionalResources: [] }))).to.deep.equal([
      'spec.resources',
    ]);
    expect(updateFields(base(), base({ attributes: { rack: 'r2' } }))).to.deep.equal([
      'spec.attributes',
    ]);
  });

  it('refuses any change of resources or attributes under the equal policy', () => {
    const old = base({ reconfigurationPolicy: 'equal' });
    expect(
      updateFields(
        old,
        base({
          reconfigurationPolicy: 'equal',
          resources: { cpus: 5, mem: '8Gi', ports: '31000-32000' },
        }),
      ),
    ).to.deep.equal(['spec.resources']);
    expect(
      updateFields(
        old,
        base({ reconfigurationPolicy: 'equal', attributes: { rack: 'r1', x: 'y' } }),
      ),
    ).to.deep.equal(['spec.attributes']);
    expect(
      updateFields(
        old,
        base({
          reconfigurationPolicy: 'equal',
          resources: { cpus: '4000m', mem: 8192, ports: '[31000-32000]' },
        }),
      ),
    ).to.deep.equal([]);
  });

  it('keeps the hostname and an existing fault domain, and lets a domain be added', () => {
    expect(updateFields(base(), base({ hostname: 'node-2' }))).to.deep.equal(['spec.hostname']);
    expect(
      updateFields(base(), base({ faultDomain: { region: 'us', zone: 'us-1a' } })),
    ).to.deep.equal(['spec.faultDomain']);
    const withoutDomain = base();
    delete withoutDomain.faultDomain;
    expect(updateFields(withoutDomain, base())).to.deep.equal([]);
  });

  it('lets an operator cordon and drain, but not bring a gone agent back', () => {
    expect(
      updateFields(base(), base({ unschedulable: true, drain: { markGone: true } })),
    ).to.deep.equal([]);
    expect(updateFields(base({ gone: true }), base({ gone: false }))).to.deep.equal(['spec.gone']);
  });
});
