import { expect } from 'chai';
import { pino } from 'pino';
import type { Lease, ObjectKey } from '../../../../core/client/index.ts';
import { ClientError } from '../../../../core/client/index.ts';
import type { Agent } from '../../../../core/types/agent.ts';
import { HollowHeartbeats } from '../../../../agent/hollow/heartbeats.ts';
import type { LeaseApi } from '../../../../agent/registration/leases.ts';
import { renewLease } from '../../../../agent/registration/leases.ts';
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

/** fakeLeases stores Leases by name and records each write (verb, name, time). */
function fakeLeases(clock: FakeClock) {
  const stored = new Map<string, Lease>();
  const writes: { verb: string; name: string; at: number }[] = [];
  let rv = 0;
  const save = (l: Lease): Lease => {
    const next = { ...l, metadata: { ...l.metadata, resourceVersion: String(++rv) } };
    stored.set(l.metadata.name ?? '', next);
    return next;
  };
  const conflict = () => new ClientError({ reason: 'Conflict', code: 409, message: 'stale' });
  const api: LeaseApi = {
    get: (key: ObjectKey) => {
      writes.push({ verb: 'get', name: key.name, at: clock.now() });
      const l = stored.get(key.name);
      return l === undefined ? Promise.reject(notFound()) : Promise.resolve(l);
    },
    create: l => {
      writes.push({ verb: 'create', name: l.metadata.name ?? '', at: clock.now() });
      return Promise.resolve(save(l));
    },
    update: l => {
      const name = l.metadata.name ?? '';
      writes.push({ verb: 'update', name, at: clock.now() });
      const cur = stored.get(name);
      if (cur === undefined) return Promise.reject(notFound());
      if (cur.metadata.resourceVersion !== l.metadata.resourceVersion)
        return Promise.reject(conflict());
      return Promise.resolve(save(l));
    },
  };
  return { api, stored, writes };
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

  it('renews Leases every interval and refreshes the status every refresh period, both spread', async () => {
    const fake = fakeAgents();
    const clock = new FakeClock(0);
    const leases = fakeLeases(clock);
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
      leases: leases.api,
      agents,
      intervalMs: 1000,
      statusRefreshMs: 2000,
      concurrency: 2,
      clock,
      logger,
    });
    const abort = new AbortController();
    const status: Record<string, number[]> = {};
    const write = fake.api.updateStatus.bind(fake.api);
    fake.api.updateStatus = a => {
      (status[a.metadata.name ?? ''] ??= []).push(clock.now());
      return write(a);
    };
    const running = beats.run(abort.signal);
    for (let t = 0; t < 4000; t += 50) await clock.advance(50);
    await settle();
    const renewals: Record<string, string[]> = {};
    for (const w of leases.writes) (renewals[w.name] ??= []).push(`${w.verb}@${w.at}`);
    expect(renewals).to.deep.equal({
      'hollow-p-0': ['create@0', 'update@1000', 'update@2000', 'update@3000', 'update@4000'],
      'hollow-p-1': ['create@250', 'update@1250', 'update@2250', 'update@3250'],
      'hollow-p-2': ['create@500', 'update@1500', 'update@2500', 'update@3500'],
      'hollow-p-3': ['create@750', 'update@1750', 'update@2750', 'update@3750'],
    });
    // registration leaves Ready alone: the first status write comes with the first renewal
    expect(status).to.deep.equal({
      'hollow-p-0': [0, 2000, 4000],
      'hollow-p-1': [250, 2250],
      'hollow-p-2': [500, 2500],
      'hollow-p-3': [750, 2750],
    });
    const lease = leases.stored.get('hollow-p-1');
    expect(lease?.metadata.namespace).to.equal('corral-agent-leases');
    expect(lease?.spec).to.deep.include({ holderIdentity: 'hollow-p-1', leaseDurationSeconds: 4 });
    expect(lease?.spec?.renewTime).to.equal('1970-01-01T00:00:03.250000Z');
    expect(fake.calls.filter(c => c.verb === 'get')).to.deep.equal([]);
    expect([beats.beats, beats.statusWrites, beats.failing]).to.deep.equal([17, 9, 0]);
    // the health controller marks hollow-p-1 unreachable during a stall: its status is written
    // again at once, not at the next refresh
    const condition = { type: 'Ready', status: 'False', reason: 'AgentUnreachable' } as const;
    const marked = await write({
      ...fake.stored.get('hollow-p-1')!,
      status: { conditions: [{ ...condition, lastTransitionTime: '1970-01-01T00:00:04Z' }] },
    });
    beats.observed(marked);
    await clock.advance(10);
    await settle();
    expect(status['hollow-p-1']).to.deep.equal([250, 2250, 4000]);
    const back = fake.stored.get('hollow-p-1')?.status?.conditions?.find(c => c.type === 'Ready');
    expect(back?.status).to.equal('True');
    abort.abort();
    await running;
    await beats.markAllStopped();
    const ready = fake.stored.get('hollow-p-2')?.status?.conditions?.find(c => c.type === 'Ready');
    expect(ready?.reason).to.equal('AgentStopped');
  });

  it('renews over a Lease someone else wrote (read, then write again) and recreates a deleted one', async () => {
    const clock = new FakeClock(5000);
    const leases = fakeLeases(clock);
    const renew = (base: Lease | undefined) =>
      renewLease({
        api: leases.api,
        agent: 'a',
        base,
        nowMs: clock.now(),
        durationSeconds: 40,
        fieldManager: 'corral-agent',
      });
    const first = await renew(undefined);
    await leases.api.update({ ...first, spec: { ...first.spec, holderIdentity: 'other' } });
    const second = await renew(first);
    expect(second.spec?.holderIdentity).to.equal('a');
    leases.stored.delete('a');
    const third = await renew(second);
    expect(third.spec?.acquireTime).to.equal('1970-01-01T00:00:05.000000Z');
    expect(leases.writes.map(w => w.verb)).to.deep.equal([
      'create',
      'update',
      'update', // Conflict: read, then write again
      'get',
      'update',
      'update', // NotFound: create again
      'create',
    ]);
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
