// values.schema.json refuses bad values before anything is rendered, naming the field.
import { expect } from 'chai';
import { templateResult } from './helm.ts';

interface Case {
  readonly name: string;
  readonly values: unknown;
  /** what helm's message must contain: the field's path and why */
  readonly says: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'an etcd cluster of 2 members (no quorum gain)',
    values: { etcd: { replicas: 2 } },
    says: ['etcd.replicas', '1, 3, 5'],
  },
  {
    name: 'a misspelt key',
    values: { apiserver: { replica: 3 } },
    says: ['apiserver', 'Additional property replica is not allowed'],
  },
  {
    name: 'no API server replica',
    values: { apiserver: { replicas: 0 } },
    says: ['apiserver.replicas', 'greater than or equal to 1'],
  },
  {
    name: 'external etcd without endpoints',
    values: { etcd: { enabled: false } },
    says: ['etcd.externalEndpoints', 'at least 1 items'],
  },
  {
    name: 'an external etcd endpoint over https (the API server has no etcd client TLS)',
    values: { etcd: { enabled: false, externalEndpoints: ['https://etcd:2379'] } },
    says: ['etcd.externalEndpoints.0', 'Does not match pattern'],
  },
  {
    name: 'a duration the controllers would refuse at start',
    values: { controllers: { flags: { allocationInterval: 'soon' } } },
    says: ['controllers.flags.allocationInterval', 'Does not match pattern'],
  },
  {
    name: 'a controllers flag that does not exist',
    values: { controllers: { flags: { allocationIntervall: '1s' } } },
    says: ['controllers.flags', 'Additional property allocationIntervall is not allowed'],
  },
  {
    name: 'an unknown reconfiguration policy',
    values: { agent: { reconfigurationPolicy: 'sometimes' } },
    says: ['agent.reconfigurationPolicy', 'equal', 'additive'],
  },
  {
    name: 'a relative agent work dir',
    values: { agent: { workDir: 'var/lib/corral' } },
    says: ['agent.workDir', 'Does not match pattern'],
  },
  {
    name: 'an agent API port out of range',
    values: { agent: { apiPort: 70000 } },
    says: ['agent.apiPort', 'less than or equal to 65535'],
  },
  {
    name: 'a fault domain without a zone',
    values: { agent: { node: { faultDomain: 'eu-west' } } },
    says: ['agent.node.faultDomain', 'Does not match pattern'],
  },
  {
    name: 'a string where a number belongs',
    values: { agent: { intervals: { heartbeatInterval: 'often' } } },
    says: ['agent.intervals.heartbeatInterval', 'Invalid type. Expected: number'],
  },
];

describe('charts/corral/values.schema.json', () => {
  for (const c of CASES) {
    it(`refuses ${c.name}`, () => {
      const r = templateResult(c.values);
      expect(r.code, r.stdout).to.not.equal(0);
      expect(r.stderr).to.include("values don't meet the specifications of the schema");
      for (const s of c.says) expect(r.stderr).to.include(s);
    });
  }

  it('accepts an external etcd with endpoints instead of the StatefulSet', () => {
    const r = templateResult({
      etcd: { enabled: false, externalEndpoints: ['http://etcd-a:2379', 'http://etcd-b:2379'] },
    });
    expect(r.code, r.stderr).to.equal(0);
  });
});
