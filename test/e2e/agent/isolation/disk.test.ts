import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../../../core/util/clock.ts';
import { DiskMonitor, diskLimitBytes } from '../../../../agent/isolation/disk-monitor.ts';
import { projectQuotaSupported } from '../../../../agent/isolation/disk-quota.ts';
import type { DiskMethod } from '../../../../agent/isolation/disk-usage.ts';
import type { ContainerLimitation } from '../../../../agent/isolation/monitor.ts';
import { eventually } from '../../../helpers/eventually.ts';

const exec = promisify(execFile);

describe('disk isolation (disk/du)', function () {
  this.timeout(20_000);
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crl-disk-e2e-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  for (const method of ['du', 'walk'] as DiskMethod[]) {
    it(`reports a sandbox that a process fills past its disk request (${method})`, async () => {
      const sandbox = join(dir, 'sandbox');
      await mkdir(sandbox);
      await writeFile(join(sandbox, 'small'), Buffer.alloc(100_000));
      const found: ContainerLimitation[] = [];
      const mon = new DiskMonitor({
        clock: systemClock,
        intervalMs: 50,
        method,
        onLimitation: l => found.push(l),
      });
      mon.watch('crl-task', {
        quotas: [{ path: sandbox, limitBytes: diskLimitBytes({ disk: 2 })! }],
      });
      const ctl = new AbortController();
      const run = mon.run(ctl.signal);
      try {
        await eventually(() => expect(mon.usage('crl-task')?.[0]?.usedBytes).to.be.above(90_000));
        expect(found).to.deep.equal([]);
        // A real writer: dd puts 3 MiB on disk (fsync so the blocks are allocated now).
        await exec('dd', [
          'if=/dev/zero',
          `of=${join(sandbox, 'big')}`,
          'bs=1M',
          'count=3',
          'conv=fsync',
        ]);
        await eventually(() => expect(found).to.have.length(1));
        expect(found[0]).to.include({
          containerId: 'crl-task',
          reason: 'REASON_CONTAINER_LIMITATION_DISK',
        });
        // the monitor may sample while dd is still writing: any usage over the quota counts
        expect(found[0]?.message).to.match(
          /^Disk usage \((2\.\d+|3(\.\d+)?)MB\) of .* exceeds quota \(2MB\)$/,
        );
        expect(found[0]?.resources).to.deep.equal({ disk: '2' });
      } finally {
        ctl.abort();
        await run;
      }
    });
  }

  it('says project quota is not available here, and why', async () => {
    const r = await projectQuotaSupported(dir);
    expect(r.supported).to.equal(false);
    if (!r.supported) {
      expect(r.fsType).to.equal('ext4');
      expect(r.reason).to.match(/kernel lacks CONFIG_QFMT_V2|no prjquota option/);
    }
    const shm = await projectQuotaSupported('/dev/shm');
    expect(!shm.supported && shm.reason).to.equal(
      '/dev/shm is on tmpfs; project quota needs xfs or ext4',
    );
  });
});
