import { expect } from 'chai';
import { pino } from 'pino';
import type { ObjectKey } from '../../../../core/client/index.ts';
import { ClientError } from '../../../../core/client/index.ts';
import type { Agent } from '../../../../core/types/agent.ts';
import { HollowHeartbeats } from '../../../../agent/hollow/heartbeats.ts';
import { registerFleet } from '../../../../agent/hollow/register-fleet.ts';
import { hollowResources } from '../../../../agent/hollow/resources.ts';
import type { AgentApi } from '../../../../agent/registration/agent-status.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';

const logger = pino({ level: 'silent' });
const spec = (name: string): Agent['spec'] => ({
  hostname: name,
  resources: { cpus: '1' },
  reconfigurationPolicy: 'equal',
});
const notFound = () => new ClientError({ reason: 'NotFound', code: 404, message: 'none' });

/** fakeAgents stores Agents by name; `fail` makes the next creates fail with a 503. */
function fakeAgents() {
  const stored = new Map<string, Agent>();
  const calls: { verb: string; name: string; at?: number }[] = [];
  let rv = 0;
  let failCreates = 0;
  const save = (a: Agent): Agent => {
    const next = { ...a, metadata: { ...a.metadata, resourceVersion: String(++rv) } };
    stored.set(a.metadata.name ?? '', next);
    return next;
  };
  const api: AgentApi = {
    get: (key: ObjectKey) => {
      calls.push({ verb: 'get', name: key.name });
      const a = stored.get(key.name);
      return a === undefined ? Promise.reject(notFound()) : Promise.resolve(a);
    },
    create: a => {
      calls.push({ verb: 'create', name: a.metadata.name ?? '' });
      if (failCreates > 0) {
        failCreates--;
        return Promise.reject(
          new ClientError({ reason: 'InternalError', code: 503, message: 'busy' }),
        );
      }
      return Promise.resolve(save(a));
    },
    update: a => Promise.resolve(save(a)),
    updateStatus: a => {
      calls.push({ verb: 'status', name: a.metadata.name ?? '' });
      return Promise.resolve(save(a));
    },
  };
  return { api, stored, calls, failNextCreates: (n: number) => (failCreates = n) };
}

describe('hollow fleet registration and heartbeats', () => {
  it('registers every agent with the hollow label, retrying a busy API server', async () => {
    const fake = fakeAgents();
    fake.failNextCreates(2);
    const clock = new FakeClock(0);
    const names = ['hollow-p-0', 'hollow-p-1', 'hollow-p-2'];
    const registering = registerFleet({
      api: fake.api,
      names,
      spec,
      labels: { 'corral.dev/hollow': 'true' },
      concurrency: 2,
      clock,
      logger,
      signal: new AbortController().signal,
    });
    for (let i = 0; i < 10; i++) await clock.advance(1000);
    const registered = await registering;
    expect([...registered.keys()].sort()).to.deep.equal(names);
    for (const a of fake.stored.values()) {
      expect(a.metadata.labels).to.deep.equal({ 'corral.dev/hollow': 'true' });
    }
  });

  it('fails the start on a refusal that will repeat', async () => {
    const fake = fakeAgents();
    fake.api.create = () =>
      Promise.reject(new ClientError({ reason: 'Forbidden', code: 403, message: 'no' }));
    const err = await registerFleet({
      api: fake.api,
      names: ['hollow-p-0', 'hollow-p-1'],
      spec,
      labels: {},
      concurrency: 1,
      clock: new FakeClock(0),
      logger,
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClientError);
    expect((err as ClientError).reason).to.equal('Forbidden');
  });

  it('spreads heartbeats over the interval and writes one request a beat', async () => {
    const fake = fakeAgents();
    const clock = new FakeClock(0);
    const agents = new Map<string, Agent>();
    for (let i = 0; i < 4; i++) {
      const name = `hollow-p-${i}`;
      agents.set(
        name,
        await fake.api.create({
          apiVersion: 'corral.dev/v1alpha1',
          kind: 'Agent',
          metadata: { name },
          spec: spec(name),
        }),
      );
    }
    fake.calls.length = 0;
    const beats = new HollowHeartbeats({
      api: fake.api,
      agents,
      intervalMs: 1000,
      concurrency: 2,
      clock,
      logger,
    });
    const abort = new AbortController();
    const at: Record<string, number[]> = {};
    const status = fake.api.updateStatus.bind(fake.api);
    fake.api.updateStatus = a => {
      (at[a.metadata.name ?? ''] ??= []).push(clock.now());
      return status(a);
    };
    const running = beats.run(abort.signal);
    for (let t = 0; t < 2000; t += 50) await clock.advance(50);
    await settle();
    expect(at).to.deep.equal({
      'hollow-p-0': [0, 1000, 2000],
      'hollow-p-1': [250, 1250],
      'hollow-p-2': [500, 1500],
      'hollow-p-3': [750, 1750],
    });
    expect(fake.calls.filter(c => c.verb === 'get')).to.deep.equal([]);
    expect(beats.beats).to.equal(9);
    abort.abort();
    await running;
    await beats.markAllStopped();
    const ready = fake.stored.get('hollow-p-2')?.status?.conditions?.find(c => c.type === 'Ready');
    expect(ready?.reason).to.equal('AgentStopped');
  });

  it('gives hollow agents the benchmark resources, overridden one name at a time', () => {
    expect(hollowResources().resources).to.deep.equal({
      cpus: '24',
      mem: '4096',
      disk: '4096',
      ports: '31000-32000',
    });
    const r = hollowResources('cpus:8;gpus:1');
    expect(r.resources).to.include({ cpus: '8', gpus: '1', mem: '4096' });
    expect(r.additionalResources).to.deep.equal([]);
  });
});
