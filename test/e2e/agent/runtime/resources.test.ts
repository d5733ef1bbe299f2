import { expect } from 'chai';
import { cpus, loadavg } from 'node:os';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';
import { eventually } from '../../../helpers/eventually.ts';
import type { RuntimeFixture } from './runtime-fixture.ts';
import { hostTask, startRuntime } from './runtime-fixture.ts';

const BUSY = 'while :; do :; done';

describe('runc runtime: cgroup limits (e2e, real runc + conmon)', function () {
  this.timeout(60_000);
  let f: RuntimeFixture;

  before(async () => {
    f = await startRuntime();
  });
  after(() => f.stop());

  // cpuShare runs a busy loop and returns the cpus it used over ~2 s (from cpuacct.usage) and
  // how many CFS periods throttled it.
  async function cpuShare(spec: ContainerSpec): Promise<{ cpus: number; throttled: number }> {
    await f.runtime.create(spec);
    await f.runtime.start(spec.id);
    await new Promise(r => setTimeout(r, 300)); // let it reach its steady state
    const a = await f.runtime.stats(spec.id);
    await new Promise(r => setTimeout(r, 2_000));
    const b = await f.runtime.stats(spec.id);
    await f.runtime.kill(spec.id, { gracePeriodMs: 0 });
    const nanos = Number(b.cpuUsageNanos - a.cpuUsageNanos);
    const cpus = nanos / 1e6 / (b.timestampMs - a.timestampMs);
    return { cpus, throttled: b.cpuThrottledPeriods - a.cpuThrottledPeriods };
  }

  it('OOM-kills a task over its memory limit and reports it as OOM', async () => {
    const id = f.newId('oom');
    const spec = hostTask(id, 'exec dd if=/dev/zero of=/dev/null bs=100M count=1', {
      resources: { requests: { cpus: '0.5', mem: 32 }, limits: { mem: 32 } },
    });
    await f.runtime.create(spec);
    await f.runtime.start(id);
    const end = await f.runtime.wait(id);
    expect(end).to.deep.include({
      status: 'exited',
      exitCode: 137,
      signal: 'SIGKILL',
      oomKilled: true,
    });
    // the verdict was recorded before `runc delete` removed the cgroup
    await f.runtime.kill(id, { gracePeriodMs: 0 });
    expect(await f.runtime.state(id)).to.deep.include({ oomKilled: true });
  });

  it('does not report OOM for a task within its limit killed by SIGKILL', async () => {
    const id = f.newId('nooom');
    await f.runtime.create(hostTask(id, 'sleep 600'));
    await f.runtime.start(id);
    await f.runtime.kill(id, { gracePeriodMs: 0, signal: 'SIGKILL' });
    expect(await f.runtime.state(id)).to.deep.include({ exitCode: 137, oomKilled: false });
  });

  it('applies requests and limits to the cgroup (shares, quota, soft and hard memory)', async () => {
    const id = f.newId('cg');
    const script = [
      'cat /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpu/cpu.cfs_quota_us',
      'cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max',
    ].join('; ');
    const spec = hostTask(id, script, {
      resources: {
        requests: { cpus: '0.25', mem: 64 },
        limits: { cpus: 1, mem: '128Mi' },
        pids: 50,
      },
    });
    await f.runtime.create(spec);
    await f.runtime.start(id);
    await f.runtime.wait(id);
    const out = (await f.runtime.readLogs(id, { stream: 'stdout' })).trim().split('\n');
    expect(out).to.deep.equal(['256', '100000', String(64 << 20), String(128 << 20), '50']);
  });

  // The VM is shared: under other tenants' load the unlimited loop gets only what the scheduler
  // gives the /corral cgroup, so its figure is compared with the limited one and with an absolute
  // floor only when the host has the cpu to spare; the throttling counters prove the quota always.
  it('limits a busy loop to its cpu limit; an unlimited one uses much more', async () => {
    const limited = await cpuShare(
      hostTask(f.newId('cpu-lim'), BUSY, {
        resources: { requests: { cpus: '0.2', mem: 32 }, limits: { cpus: '0.2' } },
      }),
    );
    const free = await cpuShare(
      hostTask(f.newId('cpu-free'), BUSY, {
        resources: { requests: { cpus: '0.2', mem: 32 }, limits: { cpus: 'Infinity' } },
      }),
    );
    expect(limited.cpus).to.be.at.most(0.3);
    expect(limited.throttled).to.be.above(5);
    expect(free.throttled).to.equal(0);
    if (loadavg()[0]! < cpus().length) {
      expect(free.cpus).to.be.at.least(0.6);
      expect(free.cpus).to.be.above(2 * limited.cpus);
    }
  });

  it('reports memory usage and pids of a running container', async () => {
    const id = f.newId('stats');
    await f.runtime.create(hostTask(id, 'sleep 600 & sleep 600'));
    await f.runtime.start(id);
    const s = await eventually(async () => {
      const now = await f.runtime.stats(id);
      expect(now.pids).to.be.at.least(2); // sh and its first sleep
      return now;
    });
    expect(s.memoryUsageBytes).to.be.above(0);
    expect(s.memoryLimitBytes).to.equal(64 << 20);
    expect(s.oomKills).to.equal(0);
    await f.runtime.kill(id, { gracePeriodMs: 0 });
  });
});
