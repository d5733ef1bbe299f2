import { expect } from 'chai';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corralKinds } from '../../../core/client/index.ts';
import { containerPaths, RuncRuntime } from '../../../agent/runtime/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { taskContainerId } from '../../../agent/sync/names.ts';
import { containerGet, containerRun } from '../../../cli/container.ts';
import { taskExec } from '../../../cli/task.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';
import type { ChildAgentOptions } from './agent-child.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { collector } from './streams.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';

// Waits in the sandbox for a `go` file, then exits with `code`: the test decides when it ends.
const untilGo = (code: number): string =>
  `echo up; while [ ! -f go ]; do sleep 0.05; done; echo bye; exit ${code}`;

describe('agent: restart (e2e, agent process killed with SIGKILL)', function () {
  this.timeout(90_000);
  let f: AgentFixture;
  let child: ChildProcessWithoutNullStreams | undefined;

  before(async () => {
    f = await startAgentFixture({ inProcess: false });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await f.stop();
  });

  async function startChild(): Promise<ChildProcessWithoutNullStreams> {
    const options: ChildAgentOptions = {
      kubeconfigPath: f.api.kubeconfigPath,
      name: f.name,
      workDir: f.options.workDir,
      runcRoot: f.options.runcRoot ?? '',
    };
    const c = spawn(process.execPath, [
      join(import.meta.dirname, 'agent-child.ts'),
      JSON.stringify(options),
    ]);
    const unregister = registerFixture(() => {
      c.kill('SIGKILL');
      return Promise.resolve();
    });
    c.once('exit', () => unregister());
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => expect(out).to.contain('started'), 30_000);
    return c;
  }

  async function sandboxOf(name: string): Promise<string> {
    const t = await f.client.for(corralKinds.tasks).get({ namespace: f.namespace, name });
    return containerPaths(f.options.workDir, taskContainerId(t.metadata.uid ?? '')).defaultSandbox;
  }

  it('keeps a task RUNNING across an agent crash and reports its later exit', async () => {
    child = await startChild();
    await createTask(f, 'survivor', { command: { value: untilGo(0) } });
    await createTask(f, 'ends-while-down', { command: { value: untilGo(4) } });
    await waitForState(f, 'survivor', 'TASK_RUNNING');
    await waitForState(f, 'ends-while-down', 'TASK_RUNNING');
    const standalone = await containerRun({
      kubeConfig: f.api.kubeConfig,
      agent: f.name,
      request: {
        id: 'crl-sc-restart',
        command: { value: 'sleep', shell: false, arguments: ['sleep', '60'] },
      },
    });
    expect(standalone.launched).to.equal(true);

    child.kill('SIGKILL');
    await new Promise(r => child?.once('exit', r));
    child = undefined;
    // while the agent is down, one task ends on its own
    await writeFile(join(await sandboxOf('ends-while-down'), 'go'), '');
    await new Promise(r => setTimeout(r, 500));

    await f.start();
    const ended = await waitForState(f, 'ends-while-down', 'TASK_FAILED');
    expect(ended.containerStatus?.exitCode).to.equal(4);
    expect(ended.reason).to.equal('REASON_COMMAND_EXECUTOR_FAILED');
    const still = await f.client
      .for(corralKinds.tasks)
      .get({ namespace: f.namespace, name: 'survivor' });
    expect(still.status?.state).to.equal('TASK_RUNNING');
    // the recovered container is really there: exec reaches it
    const out = collector();
    const exec = await taskExec({
      kubeConfig: f.api.kubeConfig,
      task: `${f.namespace}/survivor`,
      command: ['echo', 'still here'],
      stdout: out.stream,
      stderr: out.stream,
    });
    expect(exec.exitCode).to.equal(0);
    expect(out.text()).to.equal('still here\n');
    // the standalone container was left alone by recovery
    const sc = await containerGet({
      kubeConfig: f.api.kubeConfig,
      agent: f.name,
      id: 'crl-sc-restart',
    });
    expect(sc.state.status).to.equal('running');

    await writeFile(join(await sandboxOf('survivor'), 'go'), '');
    const finished = await waitForState(f, 'survivor', 'TASK_FINISHED');
    expect(finished.containerStatus?.exitCode).to.equal(0);
  });

  it('reports a running task whose container vanished while the agent was down as TASK_LOST', async () => {
    await createTask(f, 'vanishing', { command: { value: 'exec sleep 60' } });
    await waitForState(f, 'vanishing', 'TASK_RUNNING');
    await f.agent?.stop();
    const t = await f.client
      .for(corralKinds.tasks)
      .get({ namespace: f.namespace, name: 'vanishing' });
    const runtime = await RuncRuntime.open({
      ...f.options,
      runcRoot: f.options.runcRoot ?? '',
      agentId: f.name,
      clock: systemClock,
    });
    await runtime.destroy(taskContainerId(t.metadata.uid ?? ''));
    // and a Task container nobody owns: recovery removes it
    await runtime.create({
      id: 'task-orphan',
      process: { args: ['sleep', '60'] },
      rootfs: { kind: 'host' },
      resources: { requests: { cpus: '0.1', mem: 32 } },
      network: 'host',
      annotations: { 'corral.dev/task-uid': 'no-such-uid' },
    });
    await f.start();
    const lost = await waitForState(f, 'vanishing', 'TASK_LOST');
    expect(lost.reason).to.equal('REASON_AGENT_RESTARTED');
    expect(lost.source).to.equal('SOURCE_AGENT');
    expect((await runtime.list()).map(c => c.id)).to.not.include('task-orphan');
  });
});
