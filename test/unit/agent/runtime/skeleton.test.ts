import { expect } from 'chai';
import { lstat, mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOciConfig } from '../../../../agent/runtime/oci-config.ts';
import {
  buildSharedSkeleton,
  fitsSkeleton,
  sharedSkeletonDir,
} from '../../../../agent/runtime/skeleton.ts';
import type { Skeleton } from '../../../../agent/runtime/skeleton.ts';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';

const policy = { enableCfs: false, pidsLimit: 100 };

function config(skeleton: Skeleton, extra: Partial<ContainerSpec> = {}) {
  const spec: ContainerSpec = {
    id: 'c1',
    process: { args: ['/bin/true'] },
    rootfs: { kind: 'host' },
    resources: { requests: { cpus: '0.1', mem: 32 } },
    network: 'host',
    ...extra,
  };
  return buildOciConfig(spec, {
    agentId: 'a1',
    rootfsPath: skeleton.rootfs,
    sandboxDir: '/w/sandbox',
    hostBinds: skeleton.hostBinds,
    etcFiles: [],
    policy,
  });
}

describe('shared no-image skeleton (real directories in a temp dir)', () => {
  let dir = '';
  let skeleton: Skeleton;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crl-skel-'));
    skeleton = await buildSharedSkeleton(dir, ['/usr', '/etc', '/bin', '/nonexistent']);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('holds every standard mount point, the sandbox mount point and the host dirs', async () => {
    expect(skeleton.rootfs).to.equal(
      sharedSkeletonDir(dir, ['/usr', '/etc', '/bin', '/nonexistent']),
    );
    expect(skeleton.hostBinds).to.include.members(['/usr', '/etc']);
    expect(skeleton.hostBinds).to.not.include('/nonexistent');
    for (const p of ['/proc', '/sys', '/dev', '/tmp', '/mnt/mesos/sandbox', '/usr', '/etc']) {
      expect(skeleton.premade.has(p), p).to.equal(true);
      expect((await lstat(join(skeleton.rootfs, p))).isDirectory(), p).to.equal(true);
    }
    // a usrmerge host's /bin symlink is copied as a symlink, not made a mount point
    if ((await lstat('/bin')).isSymbolicLink()) {
      expect(await readlink(join(skeleton.rootfs, 'bin'))).to.equal(await readlink('/bin'));
      expect(skeleton.premade.has('/bin')).to.equal(false);
    }
  });

  it('builds again over an existing skeleton (an agent restart)', async () => {
    const again = await buildSharedSkeleton(dir, ['/usr', '/etc', '/bin', '/nonexistent']);
    expect([...again.premade].sort()).to.deep.equal([...skeleton.premade].sort());
  });

  const cases: { name: string; extra: Partial<ContainerSpec>; fits: boolean }[] = [
    { name: 'a plain task', extra: {}, fits: true },
    {
      name: 'a volume inside the sandbox',
      extra: { volumes: [{ hostPath: '/w/v', containerPath: 'data' }] },
      fits: true,
    },
    {
      name: 'a volume under /tmp (a tmpfs mounted before it)',
      extra: { volumes: [{ hostPath: '/w/v', containerPath: '/tmp/data' }] },
      fits: true,
    },
    {
      name: 'a volume on an existing mount point (/var)',
      extra: { volumes: [{ hostPath: '/w/v', containerPath: '/var' }] },
      fits: true,
    },
    {
      name: 'a volume at a new path (/data)',
      extra: { volumes: [{ hostPath: '/w/v', containerPath: '/data' }] },
      fits: false,
    },
    {
      name: 'a volume below a plain skeleton dir (/var/lib/x)',
      extra: { volumes: [{ hostPath: '/w/v', containerPath: '/var/lib/x' }] },
      fits: false,
    },
    {
      name: 'a cwd runc would create (/work)',
      extra: { process: { args: ['x'], cwd: '/work' } },
      fits: false,
    },
    { name: 'a cwd in /tmp', extra: { process: { args: ['x'], cwd: '/tmp/x' } }, fits: true },
  ];
  for (const c of cases) {
    it(`${c.fits ? 'fits' : 'does not fit'} ${c.name}`, () => {
      expect(fitsSkeleton(config(skeleton, c.extra), skeleton)).to.equal(c.fits);
    });
  }
});
