import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../../../core/util/clock.ts';
import { processGone, startThroughFifo } from '../../../../agent/runtime/exec-fifo.ts';

// A stand-in for runc's init (a shell, not runc: the protocol is what is under test): it opens
// the fifo for writing, which blocks until the agent opens it, writes one byte and closes it.
describe("starting through runc's exec fifo (a real fifo and a shell as init)", () => {
  let root = '';
  const fifo = (id: string): string => join(root, id, 'exec.fifo');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'crl-fifo-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function makeFifo(id: string): Promise<void> {
    await mkdir(join(root, id));
    expect(spawnSync('mkfifo', [fifo(id)]).status).to.equal(0);
  }

  it('reads the byte init writes, waits for its end and removes the fifo', async () => {
    await makeFifo('c1');
    const init = spawn('sh', ['-c', `printf 0 > ${fifo('c1')}; sleep 5`], { stdio: 'ignore' });
    try {
      const how = await startThroughFifo({
        runcRoot: root,
        id: 'c1',
        pid: init.pid ?? 0,
        clock: systemClock,
        timeoutMs: 5_000,
      });
      expect(how).to.equal('started');
      expect(existsSync(fifo('c1'))).to.equal(false);
    } finally {
      init.kill('SIGKILL');
    }
  });

  it('says dead when init exits without ever opening the fifo', async () => {
    await makeFifo('c2');
    const init = spawn('true');
    await new Promise(r => init.once('exit', r));
    const how = await startThroughFifo({
      runcRoot: root,
      id: 'c2',
      pid: init.pid ?? 0,
      clock: systemClock,
      timeoutMs: 5_000,
    });
    expect(how).to.equal('dead');
    expect(existsSync(fifo('c2'))).to.equal(true);
  });

  it('leaves a container without a fifo to runc start', async () => {
    const how = await startThroughFifo({
      runcRoot: root,
      id: 'c3',
      pid: process.pid,
      clock: systemClock,
      timeoutMs: 5_000,
    });
    expect(how).to.equal('noFifo');
  });

  it('tells a live process from an exited one', async () => {
    expect(await processGone(process.pid)).to.equal(false);
    const p = spawn('true');
    await new Promise(r => p.once('exit', r));
    expect(await processGone(p.pid ?? 0)).to.equal(true);
  });
});
