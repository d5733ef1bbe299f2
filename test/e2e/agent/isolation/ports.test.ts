import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { makeRanges } from '../../../../core/resources/index.ts';
import { systemClock } from '../../../../core/util/clock.ts';
import type { ContainerLimitation } from '../../../../agent/isolation/monitor.ts';
import { checkPorts } from '../../../../agent/isolation/ports-check.ts';
import { PortsMonitor } from '../../../../agent/isolation/ports-monitor.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';

const exec = promisify(execFile);
const one = (p: number) => makeRanges([{ begin: p, end: p }]);

// A node process listening on the given ports of one address; prints 'ready' once bound.
const LISTENER = `
const net = require('node:net');
const [host, ...ports] = process.argv.slice(1);
let n = 0;
for (const p of ports) net.createServer().listen(Number(p), host, () => { if (++n === ports.length) console.log('ready'); });
setInterval(() => {}, 1000);
`;

/** listen starts a node process (optionally through a command prefix) listening on ports. */
async function listen(prefix: string[], host: string, ports: number[]): Promise<ChildProcess> {
  const [cmd = '', ...rest] = [
    ...prefix,
    process.execPath,
    '-e',
    LISTENER,
    host,
    ...ports.map(String),
  ];
  // Its own process group, so stopping it also stops what a wrapper shell started.
  const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const unregister = registerFixture(() => {
    stop(child);
    return Promise.resolve();
  });
  child.on('exit', () => unregister());
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', code => reject(new Error(`listener exited ${String(code)}`)));
  });
  return child;
}

function stop(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** freePortInRange finds a port of 31000-32000 nobody on the host listens on. */
async function freePortInRange(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 31000 + Math.floor(Math.random() * 1001);
    if (taken.has(port)) continue;
    const ok = await new Promise<boolean>(resolve => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port);
      return port;
    }
  }
}

describe('ports isolation (network/ports)', function () {
  this.timeout(20_000);
  const taken = new Set<number>();

  it('host network: an allowed port is fine, an unallocated one in the range is a violation', async () => {
    const [good, bad, other] = [
      await freePortInRange(taken),
      await freePortInRange(taken),
      await freePortInRange(taken),
    ];
    // The task's init is a shell; the listener is its child, found by the descendant walk.
    const task = await listen(['sh', '-c', '"$@" & wait', 'sh'], '127.0.0.1', [good, bad]);
    // Someone else on the host listens in the range too: not this container's business.
    const neighbour = await listen([], '127.0.0.1', [other]);
    try {
      const ok = await checkPorts({
        pid: task.pid!,
        network: 'host',
        allowed: makeRanges([
          { begin: good, end: good },
          { begin: bad, end: bad },
        ]),
      });
      expect(ok).to.deep.equal({ listening: [good, bad].sort((a, b) => a - b), violations: [] });
      const r = await checkPorts({ pid: task.pid!, network: 'host', allowed: one(good) });
      expect(r.violations).to.deep.equal([{ port: bad, allowed: one(good) }]);
    } finally {
      stop(task);
      stop(neighbour);
    }
  });

  it('host network: the monitor reports the violation through its callback', async () => {
    const [good, bad] = [await freePortInRange(taken), await freePortInRange(taken)];
    const task = await listen([], '127.0.0.1', [good, bad]);
    const found: ContainerLimitation[] = [];
    const mon = new PortsMonitor({
      clock: systemClock,
      intervalMs: 50,
      onLimitation: l => found.push(l),
    });
    const ctl = new AbortController();
    const run = mon.run(ctl.signal);
    try {
      mon.watch('crl-task', { pid: task.pid!, network: 'host', allowed: one(good) });
      await eventually(() => expect(found).to.have.length(1));
      expect(found[0]).to.include({
        containerId: 'crl-task',
        reason: 'REASON_CONTAINER_LIMITATION',
      });
      expect(found[0]?.resources).to.deep.equal({ ports: String(bad) });
    } finally {
      ctl.abort();
      await run;
      stop(task);
    }
  });

  it('own network namespace: every listener in it counts, the host does not', async () => {
    const ns = `crl-ports-${process.pid}`;
    await exec('ip', ['netns', 'add', ns]);
    const unregister = registerFixture(() =>
      exec('ip', ['netns', 'del', ns]).then(() => undefined),
    );
    const hostListener = await listen([], '127.0.0.1', [await freePortInRange(taken)]);
    // In its own namespace a task may use any port; 31000 and 31001 are free there by definition.
    const task = await listen(['ip', 'netns', 'exec', ns], '0.0.0.0', [31000, 31001, 8080]);
    try {
      const r = await checkPorts({ pid: task.pid!, network: 'own', allowed: one(31000) });
      expect(r.listening).to.deep.equal([31000, 31001]);
      expect(r.violations.map(v => v.port)).to.deep.equal([31001]);
      const ok = await checkPorts({
        pid: task.pid!,
        network: 'own',
        allowed: makeRanges([{ begin: 31000, end: 31001 }]),
      });
      expect(ok.violations).to.deep.equal([]);
    } finally {
      stop(task);
      stop(hostListener);
      await exec('ip', ['netns', 'del', ns]);
      unregister();
    }
    const { stdout } = await exec('ip', ['netns', 'list']);
    expect(stdout).not.to.contain(ns);
  });
});
