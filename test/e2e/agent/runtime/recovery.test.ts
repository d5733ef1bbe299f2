import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerRuntime } from '../../../../agent/runtime/types.ts';
import { eventually } from '../../../helpers/eventually.ts';
import type { RuntimeFixture } from './runtime-fixture.ts';
import { hostTask, startRuntime } from './runtime-fixture.ts';

// Waits in the sandbox for a `go` file, then exits with `code`: the test decides when it ends.
const untilGo = (code: number): string =>
  `echo up; while [ ! -f go ]; do sleep 0.05; done; echo bye; exit ${code}`;

describe('runc runtime: agent restart (e2e, real runc + conmon)', function () {
  this.timeout(60_000);
  let f: RuntimeFixture;

  before(async () => {
    f = await startRuntime();
  });
  after(() => f.stop());

  async function sandboxOf(rt: ContainerRuntime, id: string): Promise<string> {
    const info = (await rt.list()).find(c => c.id === id);
    if (info === undefined) throw new Error(`${id} not listed`);
    return info.sandboxDir;
  }

  it('a new runtime over the same dirs recovers a running container and later its exit', async () => {
    let first: ContainerRuntime | undefined = f.runtime;
    const id = f.newId('survive');
    await first.create(hostTask(id, untilGo(3), { annotations: { task: 'ns/survive' } }));
    await first.start(id);
    const sandbox = await sandboxOf(first, id);
    first = undefined; // the agent dies: nothing of it is used from here on

    const second = await f.reopen();
    const recovered = await second.recover();
    const mine = recovered.find(c => c.id === id);
    expect(mine?.state.status).to.equal('running');
    expect(mine?.annotations).to.deep.equal({ task: 'ns/survive' });
    await writeFile(join(sandbox, 'go'), '');
    expect(await second.wait(id)).to.deep.include({ status: 'exited', exitCode: 3 });
    expect(await second.readLogs(id, { stream: 'stdout' })).to.equal('up\nbye\n');
    expect(first).to.equal(undefined);
  });

  it('a container that exited while the agent was down reports its code on recover', async () => {
    const id = f.newId('while-down');
    await f.runtime.create(hostTask(id, untilGo(5)));
    await f.runtime.start(id);
    const sandbox = await sandboxOf(f.runtime, id);
    // the agent is down now; the container finishes on its own, and conmon records the code
    await writeFile(join(sandbox, 'go'), '');
    const exitFile = join(f.options.workDir, 'containers', id, 'conmon', 'exit');
    await eventually(async () => expect((await readFile(exitFile, 'utf8')).trim()).to.equal('5'));

    const second = await f.reopen();
    const mine = (await second.recover()).find(c => c.id === id);
    expect(mine?.state).to.deep.include({ status: 'exited', exitCode: 5, oomKilled: false });
    await second.kill(id, { gracePeriodMs: 1_000 });
    expect(await second.state(id)).to.deep.include({ status: 'exited', exitCode: 5 });
  });

  it('the container outlives an agent process killed with SIGKILL', async () => {
    const id = f.newId('sigkill');
    const options = { ...f.options, clock: undefined }; // a clock does not cross processes
    const spec = hostTask(id, untilGo(4));
    const agent = spawn(process.execPath, [
      join(import.meta.dirname, 'agent-process.ts'),
      JSON.stringify(options),
      JSON.stringify(spec),
    ]);
    const exited = new Promise(r => agent.once('exit', r));
    let out = '';
    agent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    agent.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await eventually(() => expect(out).to.contain('started'), 20_000);
    } finally {
      agent.kill('SIGKILL');
      await exited;
    }
    const second = await f.reopen();
    const mine = (await second.recover()).find(c => c.id === id);
    expect(mine?.state.status).to.equal('running');
    await writeFile(join(mine!.sandboxDir, 'go'), '');
    expect(await second.wait(id)).to.deep.include({ status: 'exited', exitCode: 4 });
  });

  it('a container whose conmon died reports unknown instead of inventing an exit code', async () => {
    const id = f.newId('no-conmon');
    await f.runtime.create(hostTask(id, 'sleep 600'));
    await f.runtime.start(id);
    const pidFile = join(f.options.workDir, 'containers', id, 'conmon.pid');
    process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
    expect((await f.runtime.state(id)).status).to.equal('running');
    await f.runtime.kill(id, { gracePeriodMs: 0 });
    const s = await f.runtime.state(id);
    expect(s.status).to.equal('unknown');
    expect(s)
      .to.have.property('reason')
      .that.matches(/no exit code/);
  });
});
