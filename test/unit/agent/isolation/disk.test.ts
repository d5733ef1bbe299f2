import { expect } from 'chai';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiskMonitor,
  diskLimitation,
  diskLimitBytes,
  diskTarget,
} from '../../../../agent/isolation/disk-monitor.ts';
import { parseMountinfo, quotaSupportFrom } from '../../../../agent/isolation/disk-quota.ts';
import { duUsage, walkUsage } from '../../../../agent/isolation/disk-usage.ts';
import type { ContainerLimitation } from '../../../../agent/isolation/monitor.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const MB = 1024 * 1024;
const XFS = 0x58465342;
const EXT4 = 0xef53;
const BTRFS = 0x9123683e;

describe('diskLimitBytes', () => {
  it('reads the disk request in Mesos MB (2^20 bytes), bare or with a suffix', () => {
    expect(diskLimitBytes({ disk: 64 })).to.equal(64 * MB);
    expect(diskLimitBytes({ disk: '1Gi' })).to.equal(1024 * MB);
    expect(diskLimitBytes({ disk: '0.5' })).to.equal(MB / 2);
    expect(diskLimitBytes({ cpus: 1 })).to.equal(undefined);
  });
});

describe('diskTarget', () => {
  it('polices the sandbox against the disk request and each volume against its size', () => {
    const vol = { name: 'disk', scalar: 128, disk: { persistence: { id: 'v1' } } };
    expect(
      diskTarget('/sb', { cpus: 1, disk: '64' }, [{ path: '/vol', resource: vol }]),
    ).to.deep.equal({
      quotas: [
        { path: '/sb', limitBytes: 64 * MB },
        { path: '/vol', limitBytes: 128 * MB, resources: { disk: 128 } },
      ],
    });
    expect(diskTarget('/sb', { cpus: 1 })).to.deep.equal({ quotas: [] });
  });
});

describe('diskLimitation', () => {
  it("says Mesos's 'Disk usage (X) exceeds quota (Y)' and reports the quota as disk", () => {
    const l = diskLimitation('c1', { path: '/sb', limitBytes: 5 * MB }, 6.5 * MB);
    expect(l).to.deep.equal({
      containerId: 'c1',
      reason: 'REASON_CONTAINER_LIMITATION_DISK',
      message: 'Disk usage (6.5MB) of /sb exceeds quota (5MB)',
      resources: { disk: '5' },
    });
  });
});

describe('DiskMonitor', () => {
  it('checks the sandbox and each volume against its own limit and reports the first over', async () => {
    const clock = new FakeClock();
    const used: Record<string, number> = { '/sb': 1 * MB, '/vol': 9 * MB };
    const found: ContainerLimitation[] = [];
    const mon = new DiskMonitor({
      clock,
      intervalMs: 15_000,
      onLimitation: l => found.push(l),
      measure: p => Promise.resolve(used[p] ?? 0),
    });
    mon.watch('c1', {
      quotas: [
        { path: '/sb', limitBytes: 2 * MB },
        { path: '/vol', limitBytes: 10 * MB, resources: { disk: '10' } },
      ],
    });
    const stop = new AbortController();
    const run = mon.run(stop.signal);
    await clock.advance(15_000);
    expect(found).to.deep.equal([]);
    expect(mon.usage('c1')).to.deep.equal([
      { path: '/sb', usedBytes: 1 * MB, limitBytes: 2 * MB },
      { path: '/vol', usedBytes: 9 * MB, limitBytes: 10 * MB },
    ]);
    used['/vol'] = 11 * MB;
    await clock.advance(15_000);
    expect(found.map(l => [l.reason, l.resources])).to.deep.equal([
      ['REASON_CONTAINER_LIMITATION_DISK', { disk: '10' }],
    ]);
    mon.unwatch('c1');
    expect(mon.usage('c1')).to.equal(undefined);
    stop.abort();
    await run;
  });

  it('defaults to Mesos interval of 15s', async () => {
    const clock = new FakeClock();
    let n = 0;
    const mon = new DiskMonitor({
      clock,
      onLimitation: () => undefined,
      measure: () => Promise.resolve(n++),
    });
    mon.watch('c', { quotas: [{ path: '/x', limitBytes: 1e9 }] });
    const stop = new AbortController();
    const run = mon.run(stop.signal);
    await clock.advance(14_999);
    expect(n).to.equal(0);
    await clock.advance(1);
    expect(n).to.equal(1);
    stop.abort();
    await run;
  });
});

describe('walkUsage and duUsage', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crl-du-'));
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'a', 'one'), Buffer.alloc(100_000, 1));
    await writeFile(join(dir, 'a', 'b', 'two'), Buffer.alloc(300_000, 2));
    await link(join(dir, 'a', 'b', 'two'), join(dir, 'hard')); // counted once
    await symlink('/usr', join(dir, 'link')); // never followed
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('agree with each other and count a hard-linked file once', async () => {
    const [walk, du] = await Promise.all([walkUsage(dir), duUsage(dir)]);
    expect(walk).to.equal(du);
    expect(walk).to.be.within(400_000, 420_000);
  });

  it('measure a missing directory as zero', async () => {
    expect(await walkUsage(join(dir, 'nope'))).to.equal(0);
    expect(await duUsage(join(dir, 'nope'))).to.equal(0);
  });
});

describe('quotaSupportFrom', () => {
  const config = (lines: string[]) => lines.join('\n');

  it('refuses filesystems other than xfs and ext4', () => {
    const r = quotaSupportFrom({ path: '/v', fsMagic: BTRFS });
    expect(r).to.deep.equal({
      supported: false,
      fsType: 'btrfs',
      reason: '/v is on btrfs; project quota needs xfs or ext4',
    });
  });

  it('names the missing kernel options (this VM: no CONFIG_XFS_QUOTA, no CONFIG_QFMT_V2)', () => {
    const kernelConfig = config([
      '# CONFIG_XFS_QUOTA is not set',
      'CONFIG_QUOTA=y',
      '# CONFIG_QFMT_V2 is not set',
    ]);
    const xfs = quotaSupportFrom({
      path: '/v',
      fsMagic: XFS,
      kernelConfig,
      mountOptions: ['prjquota'],
    });
    expect(!xfs.supported && xfs.reason).to.equal(
      'the kernel lacks CONFIG_XFS_QUOTA, so xfs project quota cannot be enabled',
    );
    const ext4 = quotaSupportFrom({
      path: '/v',
      fsMagic: EXT4,
      kernelConfig,
      mountOptions: ['prjquota'],
    });
    expect(!ext4.supported && ext4.reason).to.equal(
      'the kernel lacks CONFIG_QFMT_V2, so ext4 project quota cannot be enabled',
    );
  });

  it('needs the prjquota mount option, and then says yes', () => {
    const kernelConfig = config(['CONFIG_XFS_QUOTA=y']);
    const plain = quotaSupportFrom({
      path: '/v',
      fsMagic: XFS,
      kernelConfig,
      mountOptions: ['rw'],
    });
    expect(plain.supported).to.equal(false);
    expect(
      quotaSupportFrom({ path: '/v', fsMagic: XFS, kernelConfig, mountOptions: ['rw', 'pquota'] }),
    ).to.deep.equal({ supported: true, fsType: 'xfs' });
  });
});

describe('parseMountinfo', () => {
  const text = [
    '22 27 0:21 / /proc rw,relatime - proc proc rw',
    '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '40 27 7:0 / /srv/my\\040data rw - xfs /dev/loop0 rw,prjquota',
  ].join('\n');

  it('finds the superblock options of the longest mount point holding the path', () => {
    expect(parseMountinfo(text, '/srv/my data/vol')).to.deep.equal(['rw', 'prjquota']);
    expect(parseMountinfo(text, '/srv/other')).to.deep.equal(['rw']);
    expect(parseMountinfo(text, '/procfs')).to.deep.equal(['rw']);
  });
});
