// The agent's image GC loop against a real store: with a short periodic interval and no
// recent-use grace, an image whose task ended (and was cleaned up) is collected, while the image
// of a task still running survives the same passes.
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corralKinds } from '../../../core/client/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { buildTar } from '../../unit/agent/images/builders.ts';
import type { LayoutResult } from './images/oci-layout.ts';
import { writeOciLayout } from './images/oci-layout.ts';
import { skopeoPush, startRegistry } from './images/registry-fixture.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';

describe('agent: image GC (e2e, local registry)', function () {
  this.timeout(120_000);
  let f: AgentFixture;
  // the registry may rewrite manifests (schema2), so images are told apart by their layer's diff_id
  const images: Record<string, { ref: string; diffId: string }> = {};

  before(async () => {
    f = await startAgentFixture({
      imageGcIntervalMs: 200,
      imageGcMaxUnusedMs: 0,
      imageDiskWatchIntervalMs: 100,
    });
    const registry = await startRegistry();
    for (const name of ['ended', 'running']) {
      const layer = await buildTar([
        { name: 'bin/', type: 'directory' },
        { name: 'bin/busybox', body: readFileSync('/bin/busybox'), mode: 0o755 },
        { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
        { name: 'bin/sleep', type: 'symlink', linkname: 'busybox' },
        { name: 'etc/which', body: `${name}\n` },
      ]);
      const layout = join(f.dir, `layout-${name}`);
      const built: LayoutResult = writeOciLayout(layout, name, {
        layers: [layer],
        config: { Cmd: ['sh', '-c', 'true'], Env: ['PATH=/bin'] },
      });
      const ref = `${registry.host}/test/${name}:1`;
      await skopeoPush({ layout, tag: name, dest: ref, format: 'v2s2' });
      images[name] = { ref, diffId: built.diffIds[0] ?? '' };
    }
  });
  after(() => f.stop());

  const store = (dir: string): string[] => {
    const p = join(f.options.workDir, 'images', dir);
    return existsSync(p) ? readdirSync(p) : [];
  };
  // the diff_ids of the layers of each image record in the store
  const stored = (): string[] =>
    store('images').flatMap(n => {
      const path = join(f.options.workDir, 'images', 'images', n);
      const record = JSON.parse(readFileSync(path, 'utf8')) as { layers: { diffId: string }[] };
      return record.layers.map(l => l.diffId);
    });

  it('collects the image of an ended task and keeps the one a running task holds', async () => {
    const ended = images['ended'];
    const running = images['running'];
    if (ended === undefined || running === undefined) throw new Error('images not built');
    await createTask(f, 'long', { image: running.ref, command: { value: 'sleep 600' } });
    await waitForState(f, 'long', 'TASK_RUNNING');
    await createTask(f, 'short', { image: ended.ref });
    await waitForState(f, 'short', 'TASK_FINISHED');
    // the short task's container is cleaned up, its lease released, and a later pass takes it
    // (a pass removes the record first, then views and layers)
    await eventually(() => {
      expect(stored()).to.deep.equal([running.diffId]);
      expect(store('views')).to.have.length(1);
      expect(store('layers')).to.deep.equal([running.diffId.replace(/^sha256:/, '')]);
    }, 20_000);
    // deleting the long task kills it and releases the last lease
    await f.client.for(corralKinds.tasks).delete({ namespace: f.namespace, name: 'long' });
    await eventually(() => {
      expect(stored()).to.deep.equal([]);
      expect(store('layers')).to.deep.equal([]);
    }, 20_000);
  });
});
