// A Task with an image: the agent pulls it from a local registry, leases its view, and runs the
// image's Cmd (Env, WorkingDir, User) under runc; the Task's command and env override the image's.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerLogs, containerRun, containerWait } from '../../../cli/container.ts';
import { taskLogs } from '../../../cli/task.ts';
import { buildTar } from '../../unit/agent/images/builders.ts';
import { writeOciLayout } from './images/oci-layout.ts';
import { skopeoPush, startRegistry } from './images/registry-fixture.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';

describe('agent: tasks and standalone containers from an image (e2e, local registry)', function () {
  this.timeout(120_000);
  let f: AgentFixture;
  let image = '';

  before(async () => {
    f = await startAgentFixture();
    const registry = await startRegistry();
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
    const layout = join(f.dir, 'layout');
    writeOciLayout(layout, 'hello', {
      layers: [layer],
      config: {
        Cmd: ['sh', '-c', 'id -u; cat /etc/motd; pwd; echo $GREETING'],
        Env: ['PATH=/bin', 'GREETING=image'],
        WorkingDir: '/tmp',
        User: 'user',
      },
    });
    image = `${registry.host}/test/hello:1`;
    await skopeoPush({ layout, tag: 'hello', dest: image, format: 'v2s2' });
  });
  after(() => f.stop());

  it("runs the image's Cmd as its User in its WorkingDir, with the Task's env winning", async () => {
    await createTask(f, 'from-image', { image, env: [{ name: 'GREETING', value: 'task' }] });
    await waitForState(f, 'from-image', 'TASK_FINISHED');
    const out = await taskLogs({ kubeConfig: f.api.kubeConfig, task: `${f.namespace}/from-image` });
    expect(out).to.equal('1000\nhello from the image\n/tmp\ntask\n');
  });

  it("runs the Task's own command in the image", async () => {
    await createTask(f, 'override', { image, command: { value: 'cat /etc/motd; exit 2' } });
    const status = await waitForState(f, 'override', 'TASK_FAILED');
    expect(status.containerStatus?.exitCode).to.equal(2);
  });

  it('runs a standalone container from the image', async () => {
    const t = { kubeConfig: f.api.kubeConfig, agent: f.name };
    await containerRun({ ...t, request: { id: 'crl-sc-image', image } });
    expect(await containerWait({ ...t, id: 'crl-sc-image' })).to.deep.include({ exitCode: 0 });
    expect(await containerLogs({ ...t, id: 'crl-sc-image' })).to.contain('hello from the image');
  });
});
