import { expect } from 'chai';
import {
  agentResources,
  diskMb,
  memoryMb,
  parseAttributes,
  parseFaultDomain,
} from '../../../../agent/registration/host-resources.ts';
import { AgentGoneError } from '../../../../agent/registration/agent-gone.ts';
import { agentSpec, registeredSpec } from '../../../../agent/registration/agent-spec.ts';
import { setCondition } from '../../../../agent/registration/conditions.ts';
import { RuntimeUnavailableError } from '../../../../agent/runtime/index.ts';
import { defaultAgentName, explainStartFailure } from '../../../../cli/agent.ts';

const GB = 1024 ** 3;
const facts = { cpus: 2, memBytes: 24 * GB, diskBytes: 100 * GB };

describe('agent resources from flags and the machine', () => {
  it("keeps Mesos's host reserves: mem less 1 GB (or half), disk less 5 GB (or half)", () => {
    expect(memoryMb(24 * GB)).to.equal(23 * 1024);
    expect(memoryMb(1 * GB)).to.equal(512);
    expect(diskMb(100 * GB)).to.equal(95 * 1024);
    expect(diskMb(4 * GB)).to.equal(2048);
  });

  it('detects everything when no --resources is given', () => {
    expect(agentResources(undefined, facts)).to.deep.equal({
      resources: {
        cpus: '2',
        mem: String(23 * 1024),
        disk: String(95 * 1024),
        ports: '31000-32000',
      },
      additionalResources: [],
    });
  });

  it('takes what the flag names and detects only the rest', () => {
    const r = agentResources('cpus:4;ports:[5000-5010]', facts);
    expect(r.resources).to.deep.equal({
      cpus: '4',
      mem: String(23 * 1024),
      disk: String(95 * 1024),
      ports: '5000-5010',
    });
  });

  it('puts static reservations in the list form and counts them as given', () => {
    const r = agentResources('cpus(ads):2;mem:1024;disk:10;ports:[1-2]', facts);
    expect(r.resources).to.deep.equal({ mem: '1024', disk: '10', ports: '1-2' });
    expect(r.additionalResources).to.deep.equal([
      {
        name: 'cpus',
        type: 'SCALAR',
        scalar: '2',
        reservations: [{ type: 'STATIC', role: 'ads' }],
      },
    ]);
  });

  it('refuses a malformed --resources', () => {
    expect(() => agentResources('cpus', facts)).to.throw(/':'/);
  });

  it('parses attributes and fault domains', () => {
    expect(parseAttributes('rack:r1; zone:a')).to.deep.equal({ rack: 'r1', zone: 'a' });
    expect(parseAttributes(undefined)).to.deep.equal({});
    expect(() => parseAttributes('rack')).to.throw(/name:value/);
    expect(() => parseAttributes('a:1;a:2')).to.throw(/twice/);
    expect(parseFaultDomain('eu/eu-1')).to.deep.equal({ region: 'eu', zone: 'eu-1' });
    expect(() => parseFaultDomain('eu')).to.throw(/region\/zone/);
  });
});

describe('agent spec and conditions', () => {
  const spec = agentSpec({
    hostname: 'h',
    resources: agentResources('cpus:1;mem:64;disk:64;ports:[1-2]', facts),
    attributes: {},
    reconfigurationPolicy: 'additive',
  });

  it('leaves empty optional parts out, so an unchanged agent compares equal', () => {
    expect(spec).to.not.have.any.keys('attributes', 'additionalResources', 'faultDomain');
    expect(spec.capabilities).to.include('TASK_RESOURCE_LIMITS');
  });

  it("keeps the operator's switches when re-registering", () => {
    const next = registeredSpec({ ...spec, unschedulable: true, drain: { markGone: false } }, spec);
    expect(next.unschedulable).to.equal(true);
    expect(next.drain).to.deep.equal({ markGone: false });
  });

  it('sets a condition, keeping its transition time while the status stays', () => {
    const a = setCondition(
      undefined,
      { type: 'Ready', status: 'True', reason: 'AgentReady' },
      't1',
    );
    const b = setCondition(a, { type: 'Ready', status: 'True', reason: 'AgentReady' }, 't2');
    expect(b[0]?.lastTransitionTime).to.equal('t1');
    const c = setCondition(b, { type: 'Ready', status: 'False', reason: 'AgentStopped' }, 't3');
    expect(c[0]?.lastTransitionTime).to.equal('t3');
    const d = setCondition(
      [{ type: 'Unreachable', status: 'False', reason: 'X', lastTransitionTime: 't0' }],
      c[0]!,
      't4',
    );
    expect(d.map(x => x.type)).to.deep.equal(['Unreachable', 'Ready']);
  });
});

describe('agent start failures and names', () => {
  it('names every missing piece on one line', () => {
    const e = new RuntimeUnavailableError([
      'root (running as uid 1000)',
      'runc (runc not found on PATH)',
    ]);
    expect(explainStartFailure(e)).to.equal(
      'cannot run containers on this host; missing: root (running as uid 1000); runc (runc not found on PATH)',
    );
  });

  it('says an agent marked gone killed its containers and stopped (a hollow one killed none)', () => {
    const e = new AgentGoneError('vm');
    expect(explainStartFailure(e)).to.equal(
      'vm marked gone by an operator; containers killed; stopped',
    );
    expect(explainStartFailure(e, 'hollow')).to.equal('vm marked gone by an operator');
  });

  it('derives a valid object name from the host name', () => {
    expect(defaultAgentName('My_Host.example.COM')).to.equal('my-host.example.com');
    expect(defaultAgentName('__')).to.equal('agent');
  });
});
