import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCgroupMounts, parseKeyed } from '../../../../agent/runtime/cgroup-fs.ts';
import { runcMessage } from '../../../../agent/runtime/command.ts';
import { conmonArgs } from '../../../../agent/runtime/conmon.ts';
import { exitStatusOf, signalOf } from '../../../../agent/runtime/container-state.ts';
import { RuntimeUnavailableError } from '../../../../agent/runtime/errors.ts';
import { execCommand, shellQuote } from '../../../../agent/runtime/exec.ts';
import { LineAssembler, parseLogRecord, readLogFile } from '../../../../agent/runtime/logs.ts';
import { containerPaths } from '../../../../agent/runtime/paths.ts';
import { probeHost } from '../../../../agent/runtime/probe.ts';
import { RuncCli } from '../../../../agent/runtime/runc-cli.ts';

const MOUNTINFO = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '50 31 0:40 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
].join('\n');

describe('cgroup v1 mounts and files', () => {
  it('maps each controller to its hierarchy, first mount winning', () => {
    const m = parseCgroupMounts(MOUNTINFO);
    expect(m.get('cpu')).to.equal('/sys/fs/cgroup/cpu');
    expect(m.get('cpuacct')).to.equal('/sys/fs/cgroup/cpuacct');
    expect(m.get('memory')).to.equal('/sys/fs/cgroup/memory');
    expect(m.get('name=systemd')).to.equal('/sys/fs/cgroup/systemd');
    expect(m.get('unified')).to.equal('/sys/fs/cgroup/unified');
    expect(m.has('rw')).to.equal(false);
  });

  it('reads keyed files such as memory.oom_control', () => {
    const k = parseKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    expect(k.get('oom_kill')).to.equal(3n);
  });
});

describe('probeHost', () => {
  const mounts = parseCgroupMounts(MOUNTINFO);

  it('names every missing piece: root, runc, conmon, controllers', () => {
    const err = (() => {
      try {
        probeHost({
          uid: 1000,
          searchPath: '/nonexistent',
          runc: 'runc',
          conmon: 'conmon',
          cgroupMounts: new Map(),
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(RuntimeUnavailableError);
    const missing = (err as RuntimeUnavailableError).missing;
    expect(missing).to.have.length(4);
    expect(missing[0]).to.match(/^root \(running as uid 1000\)/);
    expect(missing[1]).to.match(/^runc/);
    expect(missing[2]).to.match(/^conmon/);
    expect(missing[3]).to.match(/cpu, cpuacct, memory, pids/);
  });

  it('resolves tools on PATH or by absolute path when all is there', () => {
    const tools = probeHost({
      uid: 0,
      searchPath: '/nonexistent:/bin:/usr/bin',
      runc: 'sh',
      conmon: '/bin/true',
      cgroupMounts: mounts,
    });
    expect(tools.runcPath).to.equal('/bin/sh');
    expect(tools.conmonPath).to.equal('/bin/true');
  });
});

describe('runc and conmon adapters', () => {
  it('extracts the message from runc logrus stderr', () => {
    const stderr =
      'time="2026-11-21T06:33:20Z" level=warning msg="x"\n' +
      'time="2026-11-21T06:33:20Z" level=error msg="container with given ID \\"a\\" exists"\n';
    expect(runcMessage(stderr)).to.equal('container with given ID "a" exists');
    expect(runcMessage('plain text\n')).to.equal('plain text');
  });

  it('decodes 128+N exit codes as signals', () => {
    expect(signalOf(137)).to.equal('SIGKILL');
    expect(signalOf(143)).to.equal('SIGTERM');
    expect(signalOf(1)).to.equal(undefined);
    expect(signalOf(128)).to.equal(undefined);
    expect(exitStatusOf(159, false)).to.deep.equal({
      exitCode: 159,
      signal: 'SIGSYS',
      oomKilled: false,
    });
  });

  it('starts conmon with the private runc root, k8s-file log, exit dir and attach socket', () => {
    const paths = containerPaths('/w', 'c1');
    const args = conmonArgs({
      conmonPath: '/usr/bin/conmon',
      runcPath: '/usr/sbin/runc',
      runcRoot: '/run/x/runc',
      id: 'c1',
      paths,
      logPath: '/w/containers/c1/sandbox/stdio.log',
      stdin: true,
      timeoutMs: 1000,
    });
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after('--runtime-arg')).to.equal('--root=/run/x/runc');
    expect(after('--log-path')).to.equal('k8s-file:/w/containers/c1/sandbox/stdio.log');
    expect(after('--persist-dir')).to.equal('/w/containers/c1/conmon');
    expect(after('--bundle')).to.equal('/w/containers/c1/bundle');
    expect(args).to.include.members(['--full-attach', '--stdin']);
  });

  it('builds runc exec argv, wrapping a tty exec in script', () => {
    const runc = new RuncCli('/usr/sbin/runc', '/r');
    const plain = execCommand(runc, 'c1', ['sh', '-c', 'echo hi'], {
      env: [{ name: 'A', value: 'b c' }],
      user: { uid: 1000, gid: 1000 },
    });
    expect(plain.bin).to.equal('/usr/sbin/runc');
    expect(plain.args).to.deep.equal([
      ...['--root', '/r', 'exec', '--env', 'A=b c', '--user', '1000:1000', 'c1'],
      ...['sh', '-c', 'echo hi'],
    ]);
    const tty = execCommand(runc, 'c1', ['echo', "it's"], { tty: true });
    expect(tty.bin).to.equal('script');
    expect(tty.args.slice(0, 3)).to.deep.equal(['-q', '-e', '-c']);
    expect(tty.args[3]).to.equal(`/usr/sbin/runc --root /r exec --tty c1 echo 'it'\\''s'`);
    expect(shellQuote('')).to.equal("''");
  });
});

describe('k8s-file logs', () => {
  it('parses a record', () => {
    expect(parseLogRecord('2026-11-21T05:20:00.5+00:00 stderr F a b ')).to.deep.equal({
      time: '2026-11-21T05:20:00.5+00:00',
      stream: 'stderr',
      partial: false,
      text: 'a b ',
    });
    expect(parseLogRecord('garbage')).to.equal(undefined);
  });

  it('joins partial records per stream and keeps the tail', () => {
    const asm = new LineAssembler('stdout', 2);
    const add = (stream: 'stdout' | 'stderr', partial: boolean, text: string) =>
      asm.add({ time: 't', stream, partial, text });
    add('stdout', false, 'one');
    add('stdout', true, 'tw');
    add('stderr', false, 'noise');
    add('stdout', false, 'o');
    add('stdout', false, 'three');
    add('stdout', true, 'open');
    expect(asm.text()).to.equal('three\nopen');
  });

  it('reads a log file, and a missing one as empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crl-logs-'));
    try {
      const file = join(dir, 'stdio.log');
      await writeFile(
        file,
        't stdout F a\rb\nt stderr F err\nt stdout P par\nt stdout F tial\nt stdout P end',
      );
      expect(await readLogFile(file, 'stdout')).to.equal('a\rb\npartial\nend');
      expect(await readLogFile(file, 'all', 2)).to.equal('partial\nend');
      expect(await readLogFile(join(dir, 'none'), 'all')).to.equal('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
