import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { corralKinds } from '../../../core/client/index.ts';
import type { Agent } from '../../../core/types/agent.ts';
import type { TaskState } from '../../../core/types/task.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { taskController } from '../../../controllers/tasks/index.ts';
import { runControllers } from '../../../controllers/main.ts';
import { containerRun } from '../../../cli/container.ts';
import { AgentGoneError } from '../../../agent/registration/agent-gone.ts';
import { containerPaths, RuncRuntime } from '../../../agent/runtime/index.ts';
import { taskContainerId } from '../../../agent/sync/names.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';

const ready = (a: Agent) => a.status?.conditions?.find(c => c.type === 'Ready');

/** markGone is the operator's `kubectl patch agent <name> -p '{"spec":{"gone":true}}'`. */
async function markGone(f: AgentFixture): Promise<void> {
  const agents = f.client.for(corralKinds.agents);
  const a = await agents.get({ name: f.name });
  await agents.update({ ...a, spec: { ...a.spec, gone: true } });
}

/** containers lists what the agent's runtime still has on disk. */
async function containers(f: AgentFixture): Promise<string[]> {
  const runtime = await RuncRuntime.open({
    agentId: f.name,
    workDir: f.options.workDir,
    runcRoot: f.options.runcRoot ?? '',
    clock: systemClock,
  });
  return (await runtime.list()).map(c => c.id);
}

/** recordStates records every state a Task's watch shows from now on. */
function recordStates(f: AgentFixture, name: string): { stop(): Promise<TaskState[]> } {
  const states: TaskState[] = [];
  const stop = new AbortController();
  const watching = (async () => {
    const tasks = f.client.for(corralKinds.tasks);
    for await (const ev of tasks.watch({ namespace: f.namespace, signal: stop.signal })) {
      if (ev.type === 'BOOKMARK' || ev.object.metadata.name !== name) continue;
      const s = ev.object.status?.state;
      if (s !== undefined) states.push(s);
    }
  })().catch(() => undefined);
  return {
    async stop() {
      stop.abort();
      await watching;
      return states;
    },
  };
}

describe('agent: marked gone, it stands down (e2e, real API server, task controller, runc)', function () {
  this.timeout(90_000);

  it('kills its task (kill policy) and standalone containers, writes no Task status, records AgentGone and stops', async () => {
    const f = await startAgentFixture({ heartbeatIntervalMs: 500 });
    const abort = new AbortController();
    let controllers: Promise<void> | undefined;
    const unregister = registerFixture(async () => {
      abort.abort();
      await controllers?.catch(() => undefined);
    });
    try {
      const agent = f.agent;
      if (agent === undefined) throw new Error('no agent');
      const outcome = agent.done.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      // a task that leaves a mark when it gets its kill policy's SIGTERM (a destroy is a SIGKILL)
      const task = await createTask(f, 'sleeper', {
        command: { value: "trap 'echo term > got-term; exit 0' TERM; while :; do sleep 0.1; done" },
        killPolicy: { gracePeriodSeconds: 20 },
      });
      await waitForState(f, 'sleeper', 'TASK_RUNNING');
      const sc = await containerRun({
        kubeConfig: f.api.kubeConfig,
        agent: f.name,
        request: {
          id: 'crl-sc-gone',
          command: { value: 'sleep', shell: false, arguments: ['sleep', '600'] },
        },
      });
      expect(sc.launched).to.equal(true);
      const id = taskContainerId(task.metadata.uid ?? '');
      expect(await containers(f)).to.have.members([id, 'crl-sc-gone']);
      const tasks = f.client.for(corralKinds.tasks);
      const before = await tasks.get({ namespace: f.namespace, name: 'sleeper' });

      const states = recordStates(f, 'sleeper');
      await markGone(f);
      const err = await outcome;
      expect(err).to.be.instanceOf(AgentGoneError);
      expect(await containers(f)).to.deep.equal([]);
      // the sandbox (with the task's log) stays; the task was stopped with SIGTERM first
      const sandbox = containerPaths(f.options.workDir, id).defaultSandbox;
      expect((await readFile(join(sandbox, 'got-term'), 'utf8')).trim()).to.equal('term');
      // no status, no finalizer change: the Task is as the agent left it before the mark
      const untouched = await tasks.get({ namespace: f.namespace, name: 'sleeper' });
      expect(untouched.metadata.resourceVersion).to.equal(before.metadata.resourceVersion);
      // no health controller runs: Ready=False/AgentGone is the agent's own record of it
      const a = await f.client.for(corralKinds.agents).get({ name: f.name });
      expect(ready(a)).to.deep.include({ status: 'False', reason: 'AgentGone' });
      await agent.stop(); // what a shutdown asks for afterwards changes nothing
      const after = await f.client.for(corralKinds.agents).get({ name: f.name });
      expect(ready(after)?.reason).to.equal('AgentGone');

      // the task controller settles the Task of a gone agent (TASK_LOST: no Framework says
      // PARTITION_AWARE) and releases the agent's finalizer; nothing makes it RUNNING again
      controllers = runControllers({
        kubeConfig: f.api.kubeConfig,
        identity: `test-${randomBytes(4).toString('hex')}`,
        leaseNamespace: `crl-ctl-${randomBytes(4).toString('hex')}`,
        runnables: [taskController()],
        logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
        signal: abort.signal,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 200,
      });
      const settled = await waitForState(f, 'sleeper', 'TASK_LOST');
      expect(settled.reason).to.equal('REASON_AGENT_REMOVED_BY_OPERATOR');
      await eventually(async () => {
        const t = await tasks.get({ namespace: f.namespace, name: 'sleeper' });
        expect(t.metadata.finalizers ?? []).to.deep.equal([]);
      });
      const seen = await states.stop();
      const left = seen.findIndex(s => s !== 'TASK_RUNNING');
      expect(left, seen.join(',')).to.be.at.least(0);
      expect(seen.slice(left), seen.join(',')).to.not.include('TASK_RUNNING');
    } finally {
      abort.abort();
      await controllers?.catch(() => undefined);
      unregister();
      await f.stop();
    }
  });

  it('marked gone while stopped: on start it destroys the containers it left and refuses to run', async () => {
    const f = await startAgentFixture({ heartbeatIntervalMs: 500 });
    try {
      const task = await createTask(f, 'left-behind', { command: { value: 'sleep 600' } });
      await waitForState(f, 'left-behind', 'TASK_RUNNING');
      await f.agent?.stop(); // its containers keep running
      const id = taskContainerId(task.metadata.uid ?? '');
      expect(await containers(f)).to.deep.equal([id]);
      await markGone(f);
      const err = await f.start().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AgentGoneError);
      expect(await containers(f)).to.deep.equal([]);
      await stat(containerPaths(f.options.workDir, id).defaultSandbox);
    } finally {
      await f.stop();
    }
  });

  it('`corral agent` marked gone prints that it killed its containers and exits 1', async () => {
    const f = await startAgentFixture({ inProcess: false });
    const child = spawn(process.execPath, [
      'cli/corral.ts',
      'agent',
      ...['--kubeconfig', f.api.kubeconfigPath, '--name', f.name],
      ...['--work-dir', f.options.workDir, '--runc-root', f.options.runcRoot ?? ''],
      ...['--heartbeat-interval', '0.5'],
    ]);
    const unregister = registerFixture(() => Promise.resolve(void child.kill('SIGKILL')));
    try {
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.resume();
      const exited = new Promise<number | null>(r => child.once('exit', r));
      await eventually(async () => {
        const a = await f.client.for(corralKinds.agents).get({ name: f.name });
        expect(ready(a)?.status).to.equal('True');
      }, 30_000);
      await markGone(f);
      expect(await exited).to.equal(1);
      expect(err).to.contain(
        `corral agent: ${f.name} marked gone by an operator; containers killed; stopped`,
      );
    } finally {
      child.kill('SIGKILL');
      unregister();
      await f.stop();
    }
  });
});
