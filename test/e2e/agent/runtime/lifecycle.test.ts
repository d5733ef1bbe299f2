import { expect } from 'chai';
import { stat } from 'node:fs/promises';
import { ContainerLaunchError, ContainerNotFoundError } from '../../../../agent/runtime/errors.ts';
import { eventually } from '../../../helpers/eventually.ts';
import type { RuntimeFixture } from './runtime-fixture.ts';
import { collect, hostTask, startRuntime } from './runtime-fixture.ts';

describe('runc runtime: lifecycle (e2e, real runc + conmon)', function () {
  this.timeout(60_000);
  let f: RuntimeFixture;

  before(async () => {
    f = await startRuntime();
  });
  after(() => f.stop());

  it('runs a task that prints and exits 0, with stdout and stderr in the log', async () => {
    const id = f.newId('print');
    await f.runtime.create(hostTask(id, 'echo hello-out; echo hello-err >&2; printf no-newline'));
    expect(await f.runtime.state(id)).to.include({ status: 'created' });
    await f.runtime.start(id);
    const end = await f.runtime.wait(id);
    expect(end).to.deep.include({ status: 'exited', exitCode: 0, oomKilled: false });
    expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.equal('hello-out\nno-newline');
    expect(await f.runtime.readLogs(id, { stream: 'stderr' })).to.equal('hello-err\n');
    const all = await f.runtime.readLogs(id, { stream: 'all', tail: 1 });
    expect(all).to.equal('no-newline');
  });

  it('reports a non-zero exit code', async () => {
    const id = f.newId('exit7');
    await f.runtime.create(hostTask(id, 'exit 7'));
    await f.runtime.start(id);
    expect(await f.runtime.wait(id)).to.deep.include({ status: 'exited', exitCode: 7 });
    expect(await f.runtime.state(id)).to.not.have.property('signal');
  });

  it('runs the task in the sandbox as cwd, with MESOS_SANDBOX set', async () => {
    const id = f.newId('cwd');
    await f.runtime.create(hostTask(id, 'pwd; echo $MESOS_SANDBOX; echo x > here.txt'));
    await f.runtime.start(id);
    await f.runtime.wait(id);
    const out = await f.runtime.readLogs(id, { stream: 'stdout' });
    expect(out).to.equal('/mnt/mesos/sandbox\n/mnt/mesos/sandbox\n');
    const [info] = (await f.runtime.list()).filter(c => c.id === id);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(`${info!.sandboxDir}/here.txt`, 'utf8')).to.equal('x\n');
  });

  it('lets a task that traps TERM exit within the grace period', async () => {
    const id = f.newId('trap');
    const script = 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done';
    await f.runtime.create(hostTask(id, script));
    await f.runtime.start(id);
    await eventually(async () =>
      expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.contain('ready'),
    );
    const t0 = Date.now();
    await f.runtime.kill(id, { gracePeriodMs: 10_000 });
    expect(Date.now() - t0).to.be.below(5_000);
    expect(await f.runtime.state(id)).to.deep.include({ status: 'exited', exitCode: 0 });
    expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.contain('got-term');
    await f.runtime.kill(id, { gracePeriodMs: 10_000 }); // idempotent
  });

  it('KILLs a task that ignores TERM once the grace period is over', async () => {
    const id = f.newId('ignore');
    await f.runtime.create(hostTask(id, 'trap "" TERM; while :; do sleep 0.1; done'));
    await f.runtime.start(id);
    const t0 = Date.now();
    await f.runtime.kill(id, { gracePeriodMs: 1_000 });
    const took = Date.now() - t0;
    expect(took).to.be.at.least(1_000);
    expect(took).to.be.below(8_000);
    expect(await f.runtime.state(id)).to.deep.include({
      status: 'exited',
      exitCode: 137,
      signal: 'SIGKILL',
      oomKilled: false,
    });
  });

  it('kills a container that was created but never started', async () => {
    const id = f.newId('never');
    await f.runtime.create(hostTask(id, 'echo never'));
    await f.runtime.kill(id, { gracePeriodMs: 1_000 });
    const s = await f.runtime.wait(id);
    expect(s.status).to.equal('exited');
    expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.equal('');
  });

  it('execs a command inside a running container and returns its output', async () => {
    const id = f.newId('exec');
    await f.runtime.create(hostTask(id, 'echo started > /tmp/marker; sleep 600'));
    await f.runtime.start(id);
    const child = await f.runtime.exec(id, ['/bin/sh', '-c', 'cat /tmp/marker; echo $$; exit 3'], {
      env: [{ name: 'EXTRA', value: '1' }],
    });
    const r = await collect(child);
    expect(r.code).to.equal(3);
    expect(r.stdout.split('\n').slice(0, 1)).to.deep.equal(['started']);
    const tty = await collect(await f.runtime.exec(id, ['tty'], { tty: true }));
    expect(tty.code).to.equal(0);
    expect(tty.stdout).to.match(/\/dev\/pts\/\d+/);
    await f.runtime.kill(id, { gracePeriodMs: 0 });
  });

  it('attaches to the stdio of a container through conmon', async () => {
    const id = f.newId('attach');
    const script = 'while read l; do echo got:$l; echo err:$l >&2; done; echo stdin-closed';
    await f.runtime.create(hostTask(id, script, { stdin: true }));
    await f.runtime.start(id);
    const a = await f.runtime.attach(id);
    let out = '';
    let err = '';
    a.stdout.on('data', (c: Buffer) => (out += c.toString()));
    a.stderr.on('data', (c: Buffer) => (err += c.toString()));
    a.stdin.write('hello\n');
    await eventually(() => {
      expect(out).to.equal('got:hello\n');
      expect(err).to.equal('err:hello\n');
    });
    a.stdin.end();
    await eventually(() => expect(out).to.contain('stdin-closed'));
    await a.closed;
    expect(await f.runtime.wait(id)).to.deep.include({ status: 'exited', exitCode: 0 });
    expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.contain('got:hello\n');
  });

  it('attaches even when the socket path is longer than sockaddr_un allows', async () => {
    const long = await startRuntime('w'.repeat(100));
    try {
      const id = long.newId('long');
      await long.runtime.create(hostTask(id, 'read l; echo got:$l', { stdin: true }));
      await long.runtime.start(id);
      const a = await long.runtime.attach(id);
      let out = '';
      a.stdout.on('data', (c: Buffer) => (out += c.toString()));
      a.stdin.write('far\n');
      await a.closed;
      expect(out).to.equal('got:far\n');
    } finally {
      await long.stop();
    }
  });

  it('fails a launch runc rejects with ContainerLaunchError and leaves nothing behind', async () => {
    const id = f.newId('bad');
    const seccomp = { defaultAction: 'SCMP_ACT_BOGUS' };
    const err = await f.runtime.create(hostTask(id, 'true', { seccomp })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ContainerLaunchError);
    expect((err as Error).message).to.contain('SCMP_ACT_BOGUS');
    expect((await f.runtime.list()).map(c => c.id)).to.not.include(id);
    const cgroup = `/sys/fs/cgroup/memory/corral/${f.options.agentId}/${id}`;
    expect(await stat(cgroup).catch(() => 'absent')).to.equal('absent');
    // the id is free again
    await f.runtime.create(hostTask(id, 'echo second-try'));
    await f.runtime.start(id);
    expect(await f.runtime.wait(id)).to.deep.include({ exitCode: 0 });
  });

  it('runs the task as the given user, who owns the sandbox', async () => {
    const id = f.newId('user');
    const user = { uid: 65534, gid: 65534 };
    const spec = hostTask(id, 'id -u; echo ok > mine');
    await f.runtime.create({ ...spec, process: { ...spec.process, user } });
    await f.runtime.start(id);
    expect(await f.runtime.wait(id)).to.deep.include({ exitCode: 0 });
    expect(await f.runtime.readLogs(id, { stream: 'stdout' })).to.equal('65534\n');
  });

  it('throws ContainerNotFoundError for an id it never created', async () => {
    const err = await f.runtime.state('crl-nope-000000').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ContainerNotFoundError);
  });

  it('destroys a container: runc forgets it and the work dir is gone', async () => {
    const id = f.newId('destroy');
    await f.runtime.create(hostTask(id, 'sleep 600'));
    await f.runtime.start(id);
    await f.runtime.destroy(id);
    expect((await f.runtime.list()).map(c => c.id)).to.not.include(id);
    const err = await f.runtime.state(id).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ContainerNotFoundError);
  });
});
