import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corralKinds } from '../../../core/client/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/group.ts';
import type { Operation, OperationStatus } from '../../../core/types/operation.ts';
import type { ResourceItem } from '../../../core/types/resources.ts';
import { PersistentVolumeStore } from '../../../agent/isolation/volumes-store.ts';
import { taskLogs } from '../../../cli/task.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { createTask, startAgentFixture, waitForState } from './agent-fixture.ts';

/** freePortInRange finds a port of 31000-32000 nobody on this host listens on. */
async function freePortInRange(): Promise<number> {
  for (;;) {
    const port = 31000 + Math.floor(Math.random() * 1001);
    const ok = await new Promise<boolean>(resolve => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

describe('agent: isolation, volumes and operations (e2e, real API server + runc)', function () {
  this.timeout(60_000);
  let f: AgentFixture;
  let profiles = '';

  before(async () => {
    profiles = await mkdtemp(join(tmpdir(), 'crl-profiles-'));
    await writeFile(
      join(profiles, 'no-mkdir.json'),
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
      }),
    );
    f = await startAgentFixture({
      seccompProfileDir: profiles,
      portsIntervalMs: 200,
      diskIntervalMs: 200,
    });
  });
  after(async () => {
    await f.stop();
    await rm(profiles, { recursive: true, force: true });
  });

  const logsOf = (task: string) =>
    taskLogs({ kubeConfig: f.api.kubeConfig, task: `${f.namespace}/${task}`, stream: 'all' });

  it('applies a named seccomp profile (mkdir denied) and lets the default allow mkdir', async () => {
    const script = 'mkdir /tmp/x && echo made || echo refused';
    await createTask(f, 'seccomp-deny', {
      command: { value: script },
      seccomp: { profileName: 'no-mkdir.json' },
    });
    await createTask(f, 'seccomp-default', { command: { value: script } });
    await waitForState(f, 'seccomp-deny', 'TASK_FINISHED');
    await waitForState(f, 'seccomp-default', 'TASK_FINISHED');
    expect(await logsOf('seccomp-deny')).to.contain('refused');
    expect(await logsOf('seccomp-deny')).to.contain('Operation not permitted');
    expect(await logsOf('seccomp-default')).to.equal('made\n');
  });

  it('kills a task listening on a port it was not given, with REASON_CONTAINER_LIMITATION', async () => {
    const given = await freePortInRange();
    let other = await freePortInRange();
    while (other === given) other = await freePortInRange();
    await createTask(f, 'ports', {
      resources: { cpus: '0.1', mem: 64, ports: `${given}-${given}` },
      command: { value: `exec busybox nc -l -p ${other}` },
    });
    const status = await waitForState(f, 'ports', 'TASK_FAILED');
    expect(status.reason).to.equal('REASON_CONTAINER_LIMITATION');
    expect(String(status.limitation?.resources?.['ports'])).to.equal(String(other));
    expect(status.message).to.contain(String(other));
  });

  it('kills a task writing more than its disk request, with REASON_CONTAINER_LIMITATION_DISK', async () => {
    await createTask(f, 'disk-hog', {
      resources: { cpus: '0.1', mem: 64, disk: 1 },
      command: { value: 'dd if=/dev/zero of=big bs=1M count=4 && sleep 30' },
    });
    const status = await waitForState(f, 'disk-hog', 'TASK_FAILED');
    expect(status.reason).to.equal('REASON_CONTAINER_LIMITATION_DISK');
    expect(status.message).to.contain('exceeds quota');
  });

  it('reports health checks: healthy, then killed after consecutive failures', async () => {
    const fast = {
      delaySeconds: 0,
      intervalSeconds: 0.2,
      timeoutSeconds: 2,
      gracePeriodSeconds: 0,
      consecutiveFailures: 2,
    };
    await createTask(f, 'healthy', {
      command: { value: 'touch ok; exec sleep 30' },
      healthCheck: { type: 'COMMAND', command: { value: 'test -f ok' }, ...fast },
    });
    await eventually(async () => {
      const t = await f.client
        .for(corralKinds.tasks)
        .get({ namespace: f.namespace, name: 'healthy' });
      expect(t.status?.state).to.equal('TASK_RUNNING');
      expect(t.status?.healthy).to.equal(true);
    });
    await createTask(f, 'sick', {
      command: { value: 'exec sleep 30' },
      killPolicy: { gracePeriodSeconds: 0 },
      healthCheck: { type: 'COMMAND', command: { value: 'test -f ok' }, ...fast },
    });
    const status = await waitForState(f, 'sick', 'TASK_KILLED');
    expect(status.reason).to.equal('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    expect(status.healthy).to.equal(false);
  });

  it('checks TCP health from inside the network namespace of a task that has its own', async () => {
    await createTask(f, 'tcp-own', {
      networkMode: 'own',
      command: { value: 'while true; do busybox nc -l -p 8080 </dev/null; done' },
      killPolicy: { gracePeriodSeconds: 0 },
      healthCheck: {
        type: 'TCP',
        tcp: { port: 8080 },
        delaySeconds: 0,
        intervalSeconds: 0.2,
        gracePeriodSeconds: 5,
      },
    });
    await eventually(async () => {
      const t = await f.client
        .for(corralKinds.tasks)
        .get({ namespace: f.namespace, name: 'tcp-own' });
      expect(t.status?.healthy).to.equal(true);
    });
  });

  it('creates a persistent volume (Operation CREATE) that outlives the task using it', async () => {
    const ops = f.client.for(corralKinds.operations);
    const id = `pv-${randomBytes(3).toString('hex')}`;
    const volume: ResourceItem = {
      name: 'disk',
      scalar: 16,
      reservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'ops' }],
      disk: { persistence: { id }, volume: { containerPath: 'data', mode: 'RW' } },
    };
    const op = (name: string, type: 'CREATE' | 'DESTROY'): Operation => ({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Operation',
      metadata: { name, namespace: f.namespace },
      spec: {
        type,
        agent: f.name,
        ...(type === 'CREATE'
          ? { create: { volumes: [volume] } }
          : { destroy: { volumes: [volume] } }),
      },
    });
    // as the offer controller does: the record first, then OPERATION_PENDING through /status;
    // the agent acts only on pending operations
    const createPending = async (o: Operation): Promise<void> => {
      const made = await ops.create(o);
      await ops.updateStatus({
        ...made,
        status: { state: 'OPERATION_PENDING', lastTransitionTime: new Date().toISOString() },
      });
    };
    const opState = (name: string): Promise<OperationStatus> =>
      eventually(async () => {
        const o = await ops.get({ namespace: f.namespace, name });
        expect(o.status?.state).to.be.oneOf(['OPERATION_FINISHED', 'OPERATION_FAILED']);
        return o.status ?? {};
      });
    // a reservation needs no agent work: confirmed at once
    await createPending({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Operation',
      metadata: { name: 'reserve', namespace: f.namespace },
      spec: {
        type: 'RESERVE',
        agent: f.name,
        reserve: {
          resources: [{ name: 'disk', scalar: 16, reservations: volume.reservations ?? [] }],
        },
      },
    });
    expect((await opState('reserve')).state).to.equal('OPERATION_FINISHED');
    await createPending(op('create-pv', 'CREATE'));
    expect((await opState('create-pv')).state).to.equal('OPERATION_FINISHED');
    const dir = new PersistentVolumeStore(f.options.workDir).pathOf(volume);
    expect(existsSync(dir)).to.equal(true);
    await f.client.for(corralKinds.volumes).create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Volume',
      metadata: { name: id },
      spec: { agent: f.name, role: 'eng', resource: volume },
    });
    const mount = [{ containerPath: 'data', persistentVolume: { name: id } }];
    await createTask(f, 'writer', { volumes: mount, command: { value: 'echo kept > data/file' } });
    await waitForState(f, 'writer', 'TASK_FINISHED');
    await createTask(f, 'reader', {
      volumes: mount,
      command: { value: 'cat data/file; exec sleep 30' },
      killPolicy: { gracePeriodSeconds: 0 },
    });
    await waitForState(f, 'reader', 'TASK_RUNNING');
    await eventually(async () => expect(await logsOf('reader')).to.equal('kept\n'));
    // a DESTROY while the reader runs is refused and removes nothing
    await createPending(op('destroy-busy', 'DESTROY'));
    const refused = await opState('destroy-busy');
    expect(refused.state).to.equal('OPERATION_FAILED');
    expect(refused.message).to.contain('in use');
    expect(existsSync(join(dir, 'file'))).to.equal(true);
    await f.client.for(corralKinds.tasks).delete({ namespace: f.namespace, name: 'reader' });
    await eventually(async () => {
      const left = await f.client
        .for(corralKinds.tasks)
        .list({ namespace: f.namespace, fieldSelector: 'metadata.name=reader' });
      expect(left.items).to.have.length(0);
    }, 20_000);
    await createPending(op('destroy-free', 'DESTROY'));
    expect((await opState('destroy-free')).state).to.equal('OPERATION_FINISHED');
    expect(existsSync(dir)).to.equal(false);
  });
});
