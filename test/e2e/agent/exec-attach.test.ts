import { expect } from 'chai';
import { Readable } from 'node:stream';
import { AgentApiError } from '../../../agent/agent-api/client.ts';
import {
  containerDelete,
  containerGet,
  containerList,
  containerLogs,
  containerRun,
  containerWait,
} from '../../../cli/container.ts';
import { taskAttach, taskExec } from '../../../cli/task.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';
import { collector } from './streams.ts';

describe('agent: exec, attach and standalone containers through the CLI (e2e)', function () {
  this.timeout(60_000);
  let f: AgentFixture;

  before(async () => {
    f = await startAgentFixture();
    await createTask(f, 'ticker', {
      command: { value: 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done' },
      killPolicy: { gracePeriodSeconds: 0 },
    });
    await waitForState(f, 'ticker', 'TASK_RUNNING');
  });
  after(() => f.stop());

  const target = () => ({ kubeConfig: f.api.kubeConfig, task: `${f.namespace}/ticker` });

  it('execs a command in a running task and returns its output and exit code', async () => {
    const out = collector();
    const err = collector();
    const end = await taskExec({
      ...target(),
      command: ['sh', '-c', 'echo out; echo err >&2; exit 7'],
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(end.exitCode).to.equal(7);
    expect(out.text()).to.equal('out\n');
    expect(err.text()).to.equal('err\n');
  });

  it('passes stdin to an exec when asked', async () => {
    const out = collector();
    const end = await taskExec({
      ...target(),
      command: ['cat'],
      stdin: Readable.from([Buffer.from('abc\n'), Buffer.from('def\n')]),
      stdout: out.stream,
      stderr: out.stream,
    });
    expect(end.exitCode).to.equal(0);
    expect(out.text()).to.equal('abc\ndef\n');
  });

  it('refuses exec into a task that is not on the cluster', async () => {
    const out = collector();
    const failed = await taskExec({
      kubeConfig: f.api.kubeConfig,
      task: `${f.namespace}/nope`,
      command: ['true'],
      stdout: out.stream,
      stderr: out.stream,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failed?.message).to.contain(`task ${f.namespace}/nope not found`);
  });

  it("attaches to a task's output and detaches without stopping it", async () => {
    const out = collector();
    const detach = new AbortController();
    const session = taskAttach({
      ...target(),
      stdout: out.stream,
      stderr: out.stream,
      signal: detach.signal,
    });
    await eventually(() => expect(out.text()).to.match(/tick \d+\n.*tick \d+/s));
    detach.abort();
    expect((await session).exitCode).to.equal(null);
    expect((await waitForState(f, 'ticker', 'TASK_RUNNING')).state).to.equal('TASK_RUNNING');
  });

  it('attach ends with the exit code when the task ends', async () => {
    await createTask(f, 'short', { command: { value: 'sleep 1; echo done; exit 5' } });
    await waitForState(f, 'short', 'TASK_RUNNING');
    const out = collector();
    const end = await taskAttach({
      kubeConfig: f.api.kubeConfig,
      task: `${f.namespace}/short`,
      stdout: out.stream,
      stderr: out.stream,
    });
    expect(out.text()).to.equal('done\n');
    expect(end.exitCode).to.equal(5);
  });

  it('runs a standalone container, reports it, and kills it on delete', async () => {
    const t = { kubeConfig: f.api.kubeConfig, agent: f.name };
    const request = {
      id: 'crl-sc-one',
      command: { value: 'echo standalone; exec sleep 60' },
      resources: { cpus: '0.1', mem: 32 },
    };
    expect(await containerRun({ ...t, request })).to.deep.equal({
      id: 'crl-sc-one',
      launched: true,
    });
    // Mesos: launching an id in use answers 202 and launches nothing
    expect(await containerRun({ ...t, request })).to.deep.equal({
      id: 'crl-sc-one',
      launched: false,
    });
    expect((await containerGet({ ...t, id: 'crl-sc-one' })).state.status).to.equal('running');
    expect((await containerList(t)).map(c => c.id)).to.include('crl-sc-one');
    await eventually(async () =>
      expect(await containerLogs({ ...t, id: 'crl-sc-one' })).to.equal('standalone\n'),
    );
    // the only agent is found without --agent
    expect((await containerGet({ kubeConfig: f.api.kubeConfig, id: 'crl-sc-one' })).id).to.equal(
      'crl-sc-one',
    );
    await containerDelete({ ...t, id: 'crl-sc-one' });
    const gone = await containerGet({ ...t, id: 'crl-sc-one' }).catch((e: unknown) => e);
    expect(gone).to.be.instanceOf(AgentApiError);
    expect((gone as AgentApiError).code).to.equal(404);
    const again = await containerDelete({ ...t, id: 'crl-sc-one' }).catch((e: unknown) => e);
    expect((again as AgentApiError).code).to.equal(404);
  });

  it('waits for a standalone container to end and keeps it until it is removed', async () => {
    const t = { kubeConfig: f.api.kubeConfig, agent: f.name };
    await containerRun({ ...t, request: { id: 'crl-sc-wait', command: { value: 'exit 9' } } });
    const state = await containerWait({ ...t, id: 'crl-sc-wait' });
    expect(state).to.deep.include({ status: 'exited', exitCode: 9 });
    expect((await containerGet({ ...t, id: 'crl-sc-wait' })).state.status).to.equal('exited');
    await containerDelete({ ...t, id: 'crl-sc-wait' });
  });

  it('refuses a standalone container with a task id or no command', async () => {
    const t = { kubeConfig: f.api.kubeConfig, agent: f.name };
    const bad = await containerRun({
      ...t,
      request: { id: 'task-x', command: { value: 'true' } },
    }).catch((e: unknown) => e);
    expect((bad as AgentApiError).code).to.equal(400);
    const none = await containerRun({ ...t, request: {} }).catch((e: unknown) => e);
    expect((none as AgentApiError).message).to.contain('image or a command');
  });
});
