import { expect } from 'chai';
import { Spawner } from '../../../../agent/runtime/spawner.ts';
import { runCommand } from '../../../../agent/runtime/command.ts';

// Real processes started from real helper processes.
describe('spawner: host processes started from helper processes', () => {
  it('runs a command to completion and returns its output and exit code', async () => {
    const r = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(r).to.deep.equal({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('rejects a binary that cannot be run', async () => {
    let err: unknown;
    await runCommand('/nonexistent/crl-binary', []).catch((e: unknown) => (err = e));
    expect(String(err)).to.contain('cannot run /nonexistent/crl-binary');
  });

  it('kills a command past its timeout (code null)', async () => {
    const r = await runCommand('sleep', ['5'], 100);
    expect(r.code).to.equal(null);
  });

  it('starts a detached daemon and returns the first line it reports on fd 3', async () => {
    const spawner = new Spawner({ helpers: 2 });
    const reply = await spawner.submit({
      kind: 'detached',
      bin: 'sh',
      args: ['-c', 'echo starting >&2; echo "{\\"data\\": $$}" >&3; exec sleep 30'],
      cwd: '/',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      timeoutMs: 5_000,
    });
    expect(reply.kind).to.equal('detached');
    if (reply.kind !== 'detached') return;
    expect(reply.stderr).to.equal('starting\n');
    const pid = (JSON.parse(reply.line) as { data: number }).data;
    // still running, in a session of its own
    expect(() => process.kill(pid, 0)).to.not.throw();
    process.kill(pid, 'SIGKILL');
  });

  it('runs many jobs at once across its helpers', async () => {
    const spawner = new Spawner({ helpers: 2 });
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        spawner.submit({ kind: 'run', bin: 'sh', args: ['-c', `echo ${i}`], timeoutMs: 5_000 }),
      ),
    );
    expect(replies.map(r => (r.kind === 'run' ? r.stdout : r.kind))).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => `${i}\n`),
    );
  });
});
