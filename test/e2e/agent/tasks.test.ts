import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinKinds, corralKinds, isNotFound } from '../../../core/client/index.ts';
import { AGENT_LEASE_NAMESPACE } from '../../../core/types/agent-lease.ts';
import type { TaskState } from '../../../core/types/task.ts';
import { AGENT_FINALIZER } from '../../../core/types/task.ts';
import { taskLogs } from '../../../cli/task.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, taskObject, waitForState } from './agent-fixture.ts';

/**
 * watchStates records the states the agent gives a Task as its watch shows them, each change
 * once, in order (TASK_STAGING is the API server's, from the create, and left out).
 */
function watchStates(f: AgentFixture, name: string): { stop(): Promise<TaskState[]> } {
  const states: TaskState[] = [];
  const stop = new AbortController();
  const tasks = f.client.for(corralKinds.tasks);
  const watching = (async () => {
    for await (const ev of tasks.watch({ namespace: f.namespace, signal: stop.signal })) {
      if (ev.type === 'BOOKMARK' || ev.object.metadata.name !== name) continue;
      const s = ev.object.status?.state;
      if (s !== undefined && s !== 'TASK_STAGING' && states.at(-1) !== s) states.push(s);
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

describe('agent: registration and task lifecycle (e2e, real API server + runc)', function () {
  this.timeout(60_000);
  let f: AgentFixture;

  before(async () => {
    f = await startAgentFixture();
  });
  after(() => f.stop());

  it('registers its Agent with detected resources and keeps heartbeating (renewing its Lease)', async () => {
    const agents = f.client.for(corralKinds.agents);
    const first = await agents.get({ name: f.name });
    expect(first.spec.resources).to.include.keys('cpus', 'mem', 'disk', 'ports');
    expect(first.spec.resources?.['ports']).to.equal('31000-32000');
    expect(first.spec.capabilities).to.include('AGENT_OPERATION_FEEDBACK');
    expect(first.status?.apiEndpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    await eventually(async () => {
      const a = await agents.get({ name: f.name });
      expect(a.status?.conditions?.find(c => c.type === 'Ready')?.status).to.equal('True');
      expect(a.status?.lastHeartbeatTime).to.be.a('string');
    });
    // heartbeats renew its Lease (the status only at a slow refresh: heartbeats.test.ts)
    const leases = f.client.for(builtinKinds.leases);
    const key = { namespace: AGENT_LEASE_NAMESPACE, name: f.name };
    const renewed = await eventually(async () => (await leases.get(key)).spec?.renewTime ?? '');
    await eventually(async () => {
      expect((await leases.get(key)).spec?.renewTime).to.not.equal(renewed);
    }, 5_000);
  });

  it('runs a task that prints and exits: RUNNING, FINISHED, logs readable', async () => {
    const tasks = f.client.for(corralKinds.tasks);
    const states = watchStates(f, 'hello');
    await createTask(f, 'hello', { command: { value: 'echo hello from corral; echo oops >&2' } });
    const status = await waitForState(f, 'hello', 'TASK_FINISHED');
    // nothing slow to prepare: no TASK_STARTING ahead of RUNNING
    expect(await states.stop()).to.deep.equal(['TASK_RUNNING', 'TASK_FINISHED']);
    expect(status.containerStatus?.exitCode).to.equal(0);
    expect(status.message).to.equal('Command exited with status 0');
    const task = await tasks.get({ namespace: f.namespace, name: 'hello' });
    expect(task.metadata.finalizers).to.include('corral.dev/agent');
    const out = await taskLogs({
      kubeConfig: f.api.kubeConfig,
      task: `${f.namespace}/hello`,
      stream: 'stdout',
    });
    expect(out).to.equal('hello from corral\n');
    const err = await taskLogs({
      kubeConfig: f.api.kubeConfig,
      task: `${f.namespace}/hello`,
      stream: 'stderr',
    });
    expect(err).to.equal('oops\n');
  });

  it('runs a Task created as the offer controller creates it (STAGING, holding the finalizer) with no metadata write: RUNNING, FINISHED', async () => {
    const tasks = f.client.for(corralKinds.tasks);
    const made = await tasks.create({
      ...taskObject(f, 'launched', { command: { value: 'true' } }),
      metadata: { name: 'launched', namespace: f.namespace, finalizers: [AGENT_FINALIZER] },
    });
    expect(made.status?.state).to.equal('TASK_STAGING');
    // every write after the create, as the watch from its resourceVersion shows them
    const writes: string[] = [];
    for await (const ev of tasks.watch({
      namespace: f.namespace,
      resourceVersion: made.metadata.resourceVersion ?? '',
      signal: AbortSignal.timeout(20_000),
    })) {
      if (ev.type === 'BOOKMARK' || ev.object.metadata.name !== 'launched') continue;
      const held = (ev.object.metadata.finalizers ?? []).includes(AGENT_FINALIZER) ? '+f' : '';
      writes.push(`${ev.type} ${ev.object.status?.state ?? ''}${held}`);
      if (ev.object.status?.state === 'TASK_FINISHED') break;
    }
    expect(writes).to.deep.equal(['MODIFIED TASK_RUNNING+f', 'MODIFIED TASK_FINISHED+f']);
  });

  it('reports a non-zero exit as TASK_FAILED with the exit code', async () => {
    await createTask(f, 'fails', { command: { value: 'exit 3' } });
    const status = await waitForState(f, 'fails', 'TASK_FAILED');
    expect(status.reason).to.equal('REASON_COMMAND_EXECUTOR_FAILED');
    expect(status.containerStatus?.exitCode).to.equal(3);
    expect(status.message).to.equal('Command exited with status 3');
  });

  it('fails a task over its memory limit with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    await createTask(f, 'oom', {
      resources: { cpus: '0.1', mem: 32 },
      command: { value: 'dd if=/dev/zero of=/dev/null bs=100M count=1' },
    });
    const status = await waitForState(f, 'oom', 'TASK_FAILED');
    expect(status.reason).to.equal('REASON_CONTAINER_LIMITATION_MEMORY');
    expect(status.containerStatus?.exitCode).to.equal(137);
  });

  it('fails a launch it cannot do with REASON_CONTAINER_LAUNCH_FAILED', async () => {
    await createTask(f, 'bad-host-path', {
      command: { value: 'true' },
      volumes: [{ containerPath: '/data', hostPath: { path: '/nonexistent/crl-agent-test' } }],
    });
    const status = await waitForState(f, 'bad-host-path', 'TASK_FAILED');
    expect(status.reason).to.equal('REASON_CONTAINER_LAUNCH_FAILED');
    expect(status.message).to.contain('/nonexistent/crl-agent-test');
  });

  it('fetches the URIs of a task into its sandbox before it starts, STARTING meanwhile', async () => {
    const src = join(f.dir, 'payload.txt');
    await writeFile(src, 'fetched payload\n');
    const states = watchStates(f, 'fetch');
    await createTask(f, 'fetch', {
      command: { value: 'cat payload.txt', uris: [{ value: `file://${src}` }] },
    });
    await waitForState(f, 'fetch', 'TASK_FINISHED');
    expect(await states.stop()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const out = await taskLogs({ kubeConfig: f.api.kubeConfig, task: `${f.namespace}/fetch` });
    expect(out).to.equal('fetched payload\n');
  });

  it('kills a deleted running task: KILLING, then KILLED, then the record is gone', async () => {
    const tasks = f.client.for(corralKinds.tasks);
    await createTask(f, 'sleeper', {
      command: { value: 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done' },
      killPolicy: { gracePeriodSeconds: 5 },
    });
    await waitForState(f, 'sleeper', 'TASK_RUNNING');
    const states: TaskState[] = [];
    const stop = new AbortController();
    const watching = (async () => {
      for await (const ev of tasks.watch({ namespace: f.namespace, signal: stop.signal })) {
        if (ev.type === 'BOOKMARK') continue;
        const s = ev.object.status?.state;
        if (ev.object.metadata.name === 'sleeper' && s !== undefined && states.at(-1) !== s)
          states.push(s);
      }
    })().catch(() => undefined);
    await tasks.delete({ namespace: f.namespace, name: 'sleeper' });
    await eventually(async () => {
      const gone = await tasks.get({ namespace: f.namespace, name: 'sleeper' }).then(
        () => false,
        (e: unknown) => isNotFound(e),
      );
      expect(gone).to.equal(true);
    }, 20_000);
    stop.abort();
    await watching;
    expect(states).to.include.members(['TASK_KILLING', 'TASK_KILLED']);
    expect(states.indexOf('TASK_KILLING')).to.be.lessThan(states.indexOf('TASK_KILLED'));
  });
});
