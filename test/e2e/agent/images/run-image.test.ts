// A pulled image run as a container by the agent's runtime (runc + conmon): the store leases the
// image's view, the runtime mounts its own overlay over it, and the process comes from the
// image config (Cmd, Env, WorkingDir, User resolved in the image's /etc/passwd).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageProcess, openImageStore, resolveUser } from '../../../../agent/images/index.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';
import { buildTar } from '../../../unit/agent/images/builders.ts';
import { startRuntime, type RuntimeFixture } from '../runtime/runtime-fixture.ts';
import { writeOciLayout } from './oci-layout.ts';
import { skopeoPush, startRegistry } from './registry-fixture.ts';

describe('images e2e: a pulled image runs under the runc runtime', function () {
  this.timeout(120_000);
  let rt: RuntimeFixture | undefined;

  before(async function () {
    try {
      rt = await startRuntime();
    } catch (e) {
      // RuntimeUnavailableError: not root, or no runc/conmon on this host
      console.warn(`skipping: ${e instanceof Error ? e.message : String(e)}`);
      this.skip();
    }
  });
  after(() => rt?.stop());

  it('runs the image Cmd as the image User in its WorkingDir, leaving the view untouched', async () => {
    const runtime = rt!.runtime;
    const registry = await startRegistry();
    const work = mkdtempSync(join(tmpdir(), 'corral-run-image-'));
    registerFixture(() => Promise.resolve(rmSync(work, { recursive: true, force: true })));
    const layer = await buildTar([
      { name: 'bin/', type: 'directory' },
      { name: 'bin/busybox', body: readFileSync('/bin/busybox'), mode: 0o755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/id', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/cat', type: 'symlink', linkname: 'busybox' },
      { name: 'etc/passwd', body: 'root:x:0:0::/root:/bin/sh\nuser:x:1000:1000::/tmp:/bin/sh\n' },
      { name: 'etc/group', body: 'root:x:0:\nuser:x:1000:\n' },
      { name: 'etc/motd', body: 'hello from the image\n' },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
    ]);
    const layout = join(work, 'layout');
    writeOciLayout(layout, 'run', {
      layers: [layer],
      config: {
        Cmd: ['sh', '-c', 'id -u; id -g; cat /etc/motd; pwd; echo $GREETING'],
        Env: ['PATH=/bin', 'GREETING=image'],
        WorkingDir: '/tmp',
        User: 'user',
      },
    });
    await skopeoPush({ layout, tag: 'run', dest: `${registry.host}/test/run:1`, format: 'v2s2' });
    const store = await openImageStore({ root: join(work, 'store') });
    const record = await store.pull(`${registry.host}/test/run:1`);
    const id = rt!.newId('img');
    const view = await store.leaseView(record.digest, id);
    const before = readdirSync(view.path).sort();
    const defaults = imageProcess((await store.config(record.digest)).defaults, undefined, [
      { name: 'GREETING', value: 'task' },
    ]);
    await runtime.create({
      id,
      process: { ...defaults, user: await resolveUser(view.path, defaults.user) },
      rootfs: { kind: 'image', path: view.path },
      resources: { requests: { cpus: '0.5', mem: 64 } },
      network: 'own',
    });
    await runtime.start(id);
    const state = await runtime.wait(id);
    const out = await runtime.readLogs(id, { stream: 'stdout' });
    const err = await runtime.readLogs(id, { stream: 'stderr' });
    await runtime.destroy(id);
    await view.release();
    expect(state, err).to.deep.include({ status: 'exited', exitCode: 0 });
    expect(out).to.equal('1000\n1000\nhello from the image\n/tmp\ntask\n');
    expect(readdirSync(view.path).sort()).to.deep.equal(before);
    expect((await store.gc({ keep: new Set() })).removedImages).to.deep.equal([record.digest]);
  });
});
