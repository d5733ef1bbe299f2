import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceItem } from '../../../../core/types/resources.ts';
import { volumeMounts } from '../../../../agent/isolation/volumes-mounts.ts';
import { PersistentVolumeStore } from '../../../../agent/isolation/volumes-store.ts';
import type { Bundle } from './runc-bundle.ts';
import { makeBundle, runcAvailable } from './runc-bundle.ts';

const VOLUME: ResourceItem = {
  name: 'disk',
  scalar: 16,
  reservations: [{ type: 'DYNAMIC', role: 'eng/db' }],
  disk: { persistence: { id: 'crl-pv-1' }, volume: { containerPath: '/data', mode: 'RW' } },
};

describe('volumes in real containers', function () {
  this.timeout(30_000);
  let dir = '';
  let bundle: Bundle;
  let store: PersistentVolumeStore;

  before(async function () {
    if (!runcAvailable()) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'crl-volumes-e2e-'));
    bundle = await makeBundle(join(dir, 'bundle'));
    store = new PersistentVolumeStore(join(dir, 'work'));
  });
  after(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('a file written in a persistent volume outlives the task; a later task reads it read-only', async () => {
    const [path] = await store.create([VOLUME]);
    expect(path).to.equal(join(dir, 'work', 'volumes', 'roles', 'eng db', 'crl-pv-1'));
    const ctx = { sandboxDir: join(dir, 'sb1'), persistentVolumePath: () => path };
    await mkdir(ctx.sandboxDir);

    const rw = await volumeMounts(
      [{ containerPath: '/data', persistentVolume: { name: 'pv' } }],
      ctx,
    );
    const first = await bundle.run('crl-vol-writer', {
      args: ['sh', '-c', 'echo kept > /data/out.txt && echo wrote'],
      mounts: rw,
    });
    expect(first.stdout, first.stderr).to.contain('wrote');
    expect(await readFile(join(path!, 'out.txt'), 'utf8')).to.equal('kept\n');

    const ro = await volumeMounts(
      [{ containerPath: '/data', persistentVolume: { name: 'pv' }, mode: 'RO' }],
      ctx,
    );
    const second = await bundle.run('crl-vol-reader', {
      args: ['sh', '-c', 'cat /data/out.txt; touch /data/new; echo touch=$?'],
      mounts: ro,
    });
    expect(second.stdout).to.contain('kept');
    expect(second.stdout).to.contain('touch=1');
    expect(second.stderr).to.contain('Read-only file system');

    expect(await store.destroy(VOLUME, false)).to.equal(true);
    expect(await stat(path!).catch(() => undefined)).to.equal(undefined);
  });

  it('a missing host path under an allowed parent is created and mounted', async () => {
    const allowed = join(dir, 'allowed');
    await mkdir(allowed);
    const mounts = await volumeMounts(
      [{ containerPath: '/host', hostPath: { path: join(allowed, 'new', 'dir') } }],
      { sandboxDir: join(dir, 'sb2'), allowedHostParents: [allowed] },
    );
    const r = await bundle.run('crl-vol-host', { args: ['sh', '-c', 'echo hi > /host/f'], mounts });
    expect(r.code, r.stderr).to.equal(0);
    expect(await readFile(join(allowed, 'new', 'dir', 'f'), 'utf8')).to.equal('hi\n');
  });
});
