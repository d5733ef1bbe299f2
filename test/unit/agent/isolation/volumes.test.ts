import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiskSourceItem, ResourceItem } from '../../../../core/types/resources.ts';
import { prepareHostPath } from '../../../../agent/isolation/volumes-host-path.ts';
import {
  prepareVolumes,
  sandboxMount,
  volumeMounts,
} from '../../../../agent/isolation/volumes-mounts.ts';
import { joinInside, validateId, VolumeError } from '../../../../agent/isolation/volumes-paths.ts';
import {
  PersistentVolumeStore,
  VolumeInUseError,
} from '../../../../agent/isolation/volumes-store.ts';

/** volume builds a persistent volume resource as a CREATE carries it. */
function volume(role: string, id: string, source?: DiskSourceItem): ResourceItem {
  return {
    name: 'disk',
    scalar: 64,
    reservations: [{ type: 'DYNAMIC', role }],
    disk: {
      persistence: { id },
      volume: { containerPath: 'data', mode: 'RW' },
      ...(source ? { source } : {}),
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

let tmp = '';

/** withTmp gives every test of a suite a fresh temp directory in `tmp`. */
function withTmp(): void {
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'crl-vol-'));
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));
}

describe('volume path rules', () => {
  it('validateId follows Mesos validateID', () => {
    expect(validateId('vol-1.a_b')).to.equal(undefined);
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\nb', 'x'.repeat(256)]) {
      expect(validateId(bad), JSON.stringify(bad)).to.be.a('string');
    }
  });

  it('joinInside keeps relative paths inside their base', () => {
    expect(joinInside('/sb', 'a/./b', 'p')).to.equal('/sb/a/b');
    expect(joinInside('/sb', 'a/../b', 'p')).to.equal('/sb/b');
    for (const bad of ['', '.', '..', '../x', 'a/../../x', '/abs']) {
      expect(() => joinInside('/sb', bad, 'p'), bad).to.throw(VolumeError);
    }
  });
});

describe('prepareHostPath (volume/host_path with force creation)', () => {
  withTmp();

  it('uses an existing path as it is, file or directory', async () => {
    await writeFile(join(tmp, 'f'), 'x');
    expect(await prepareHostPath(join(tmp, 'f'), [])).to.equal(join(tmp, 'f'));
    expect(await prepareHostPath(`${tmp}/./`, [])).to.equal(tmp);
  });

  it('refuses a relative host path', async () => {
    const e = await rejection(prepareHostPath('rel/path', [tmp]));
    expect(e.message).to.equal("Path 'rel/path' in HOST_PATH volume is not absolute");
  });

  it('refuses a missing path when creation is not enabled', async () => {
    const e = await rejection(prepareHostPath(join(tmp, 'missing'), []));
    expect(e.message).to.equal(`Path '${tmp}/missing' in HOST_PATH volume does not exist`);
  });

  it('creates a missing path as a directory under an allowed parent, mkdir -p style', async () => {
    const allowed = join(tmp, 'allowed');
    const p = await prepareHostPath(join(allowed, 'x', 'y'), ['/elsewhere', allowed]);
    expect(p).to.equal(join(allowed, 'x', 'y'));
    expect((await stat(p)).isDirectory()).to.equal(true);
  });

  it('refuses a missing path outside the allowed parents, also one that uses .. to get out', async () => {
    const allowed = join(tmp, 'allowed');
    await mkdir(allowed);
    const outside = await rejection(prepareHostPath(join(tmp, 'other', 'x'), [allowed]));
    expect(outside.message).to.equal(
      `Path '${tmp}/other/x' in HOST_PATH volume does not exist and is not whitelisted for creation`,
    );
    const climbing = await rejection(prepareHostPath(`${allowed}/../other/x`, [allowed]));
    expect(climbing.message).to.contain('is not whitelisted for creation');
    // A sibling that shares the prefix is not under the parent.
    const sibling = await rejection(prepareHostPath(`${allowed}-2/x`, [allowed]));
    expect(sibling.message).to.contain('is not whitelisted for creation');
    expect(await readdir(tmp)).to.deep.equal(['allowed']);
  });

  it('refuses to create through a symlink that leads out of the allowed parent', async () => {
    const allowed = join(tmp, 'allowed');
    await mkdir(allowed);
    await mkdir(join(tmp, 'target'));
    await symlink(join(tmp, 'target'), join(allowed, 'link'));
    const e = await rejection(prepareHostPath(join(allowed, 'link', 'new'), [allowed]));
    expect(e).to.be.instanceOf(VolumeError);
    expect(e.message).to.contain('through a symlink');
    expect(await readdir(join(tmp, 'target'))).to.deep.equal([]);
  });

  it('allows a symlink that stays inside the allowed parent', async () => {
    const allowed = join(tmp, 'allowed');
    await mkdir(join(allowed, 'real'), { recursive: true });
    await symlink('real', join(allowed, 'link'));
    await prepareHostPath(join(allowed, 'link', 'new'), [allowed]);
    expect((await stat(join(allowed, 'real', 'new'))).isDirectory()).to.equal(true);
  });
});

describe('PersistentVolumeStore', () => {
  withTmp();

  it("uses Mesos's layout, with a space for the slash of a hierarchical role", () => {
    const store = new PersistentVolumeStore('/var/lib/corral');
    expect(store.path({ role: 'web', persistenceId: 'v1' })).to.equal(
      '/var/lib/corral/volumes/roles/web/v1',
    );
    expect(store.pathOf(volume('eng/web', 'v1'))).to.equal(
      '/var/lib/corral/volumes/roles/eng web/v1',
    );
    expect(store.pathOf(volume('web', 'v2', { type: 'PATH', root: '/mnt/disk1' }))).to.equal(
      '/mnt/disk1/volumes/roles/web/v2',
    );
    expect(store.pathOf(volume('web', 'v3', { type: 'PATH', root: 'disks/d2' }))).to.equal(
      '/var/lib/corral/disks/d2/volumes/roles/web/v3',
    );
    expect(store.pathOf(volume('web', 'v4', { type: 'MOUNT', root: '/mnt/ssd' }))).to.equal(
      '/mnt/ssd',
    );
  });

  it('refuses ids and roles that would break the path, and disks without a directory', () => {
    const store = new PersistentVolumeStore('/w');
    expect(() => store.pathOf(volume('web', '../../etc'))).to.throw(
      VolumeError,
      /invalid persistence id/,
    );
    expect(() => store.pathOf(volume('a/../b', 'v'))).to.throw(VolumeError, /invalid role/);
    expect(() => store.pathOf(volume('web', 'v', { type: 'BLOCK', id: 'x' }))).to.throw(
      VolumeError,
    );
    expect(() => store.pathOf({ name: 'disk', scalar: 1 })).to.throw(
      VolumeError,
      /not a reserved persistent volume/,
    );
  });

  it('creates (idempotently), lists, and destroys volumes; data survives a re-create', async () => {
    const store = new PersistentVolumeStore(tmp);
    const [p] = await store.create([volume('eng/web', 'v1')]);
    await writeFile(join(p!, 'data.txt'), 'kept');
    await store.create([volume('eng/web', 'v1')]);
    expect(await stat(join(p!, 'data.txt'))).to.have.property('size', 4);
    expect(await store.list()).to.deep.equal([{ role: 'eng/web', persistenceId: 'v1', path: p }]);
    expect(await store.destroy(volume('eng/web', 'v1'), false)).to.equal(true);
    expect(await store.list()).to.deep.equal([]);
    expect(await store.destroy(volume('eng/web', 'v1'), false)).to.equal(false);
  });

  it('refuses to destroy a volume in use and leaves its data', async () => {
    const store = new PersistentVolumeStore(tmp);
    const [p] = await store.create([volume('web', 'v1')]);
    await writeFile(join(p!, 'f'), 'x');
    const e = await rejection(store.destroy(volume('web', 'v1'), true));
    expect(e).to.be.instanceOf(VolumeInUseError);
    expect(e.message).to.equal("Persistent volumes in use: 'v1'");
    expect((await stat(join(p!, 'f'))).isFile()).to.equal(true);
  });

  it('empties a MOUNT disk volume but keeps its root', async () => {
    const root = join(tmp, 'mnt');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'sub', 'f'), 'x');
    const store = new PersistentVolumeStore(tmp);
    await store.destroy(volume('web', 'v1', { type: 'MOUNT', root }), false);
    expect(await readdir(root)).to.deep.equal([]);
  });

  it('gives a bind mount entry, read-write by default', () => {
    const store = new PersistentVolumeStore('/w');
    expect(store.mount(volume('web', 'v1'), '/data', 'RO')).to.deep.equal({
      destination: '/data',
      type: 'bind',
      source: '/w/volumes/roles/web/v1',
      options: ['rbind', 'rprivate', 'ro'],
    });
    expect(store.mount(volume('web', 'v1'), '/data').options).to.include('rw');
  });
});

describe('volumeMounts and prepareVolumes', () => {
  withTmp();

  it('resolves relative container paths inside the sandbox mount and orders parents first', async () => {
    const sandboxDir = join(tmp, 'sandbox');
    await mkdir(join(tmp, 'host', 'deep'), { recursive: true });
    const store = new PersistentVolumeStore(tmp);
    const [volPath] = await store.create([volume('web', 'v1')]);
    const ctx = {
      sandboxDir,
      allowedHostParents: [join(tmp, 'host')],
      persistentVolumePath: (name: string) => (name === 'vol-a' ? volPath : undefined),
    };
    const mounts = await volumeMounts(
      [
        { containerPath: '/data/deep', hostPath: { path: join(tmp, 'host', 'deep') }, mode: 'RO' },
        { containerPath: '/data', persistentVolume: { name: 'vol-a' } },
        { containerPath: 'cache', sandboxPath: { path: 'shared/cache' } },
        { containerPath: '/created', hostPath: { path: join(tmp, 'host', 'new') } },
      ],
      ctx,
    );
    expect(mounts.map(m => [m.destination, m.source, m.options.at(-1)])).to.deep.equal([
      ['/data', volPath, 'rw'],
      ['/created', join(tmp, 'host', 'new'), 'rw'],
      ['/data/deep', join(tmp, 'host', 'deep'), 'ro'],
      ['/mnt/mesos/sandbox/cache', join(sandboxDir, 'shared', 'cache'), 'rw'],
    ]);
    expect(sandboxMount(ctx)).to.deep.equal({
      destination: '/mnt/mesos/sandbox',
      type: 'bind',
      source: sandboxDir,
      options: ['rbind', 'rprivate', 'rw'],
    });
  });

  it('prepares volumes in the runtime BindVolume shape', async () => {
    const prepared = await prepareVolumes(
      [{ containerPath: 'out', sandboxPath: { path: 'o' }, mode: 'RO' }],
      { sandboxDir: tmp },
    );
    expect(prepared).to.deep.equal([
      { hostPath: join(tmp, 'o'), containerPath: 'out', readOnly: true },
    ]);
  });

  it('refuses container paths that leave the sandbox or hide the root', async () => {
    for (const containerPath of ['../etc', 'a/../../x', '/']) {
      const e = await rejection(
        volumeMounts([{ containerPath, sandboxPath: { path: 'x' } }], { sandboxDir: tmp }),
      );
      expect(e, containerPath).to.be.instanceOf(VolumeError);
    }
  });

  it('refuses a sandbox path that leaves the sandbox, lexically or through a symlink the task made', async () => {
    const sandboxDir = join(tmp, 'sb');
    await mkdir(sandboxDir);
    await symlink('/etc', join(sandboxDir, 'evil'));
    const lexical = await rejection(
      volumeMounts([{ containerPath: 'x', sandboxPath: { path: '../x' } }], { sandboxDir }),
    );
    expect(lexical.message).to.contain("sandbox path '../x' must be a relative path inside");
    const viaLink = await rejection(
      volumeMounts([{ containerPath: 'x', sandboxPath: { path: 'evil' } }], { sandboxDir }),
    );
    expect(viaLink.message).to.contain('leaves the sandbox through a symlink');
  });

  it('needs a parent sandbox for PARENT and an existing persistent volume', async () => {
    const parent = await rejection(
      volumeMounts([{ containerPath: 'x', sandboxPath: { type: 'PARENT', path: 'p' } }], {
        sandboxDir: tmp,
      }),
    );
    expect(parent.message).to.contain('PARENT sandbox of a task with no group');
    const pv = await rejection(
      volumeMounts([{ containerPath: 'x', persistentVolume: { name: 'gone' } }], {
        sandboxDir: tmp,
        persistentVolumePath: () => join(tmp, 'missing'),
      }),
    );
    expect(pv.message).to.contain("Persistent volume 'gone' has no directory");
  });
});
