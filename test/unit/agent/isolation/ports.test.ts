import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRanges } from '../../../../core/resources/index.ts';
import type { ContainerLimitation } from '../../../../agent/isolation/monitor.ts';
import { allowedPorts, checkPorts } from '../../../../agent/isolation/ports-check.ts';
import { PortsMonitor, portsLimitation } from '../../../../agent/isolation/ports-monitor.ts';
import { parsePpid, parseProcNetTcp } from '../../../../agent/isolation/ports-proc.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

interface Row {
  slot: number;
  port: number;
  state: string;
  inode: number;
}

/** tcpLineAt is one /proc/net/tcp row for a hex local address. */
function tcpLineAt(addr: string, { slot, port, state, inode }: Row): string {
  const p = port.toString(16).toUpperCase().padStart(4, '0');
  return `   ${slot}: ${addr}:${p} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
}

/** tcpLine is one /proc/net/tcp row on 127.0.0.1. */
function tcpLine(slot: number, port: number, state: string, inode: number): string {
  return tcpLineAt('0100007F', { slot, port, state, inode });
}

function tcp6Line(slot: number, port: number, inode: number): string {
  const p = port.toString(16).toUpperCase().padStart(4, '0');
  return `   ${slot}: 00000000000000000000000001000000:${p} 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
}

describe('parseProcNetTcp', () => {
  it('keeps only LISTEN sockets, with port, address and inode', () => {
    const text = [
      HEADER,
      tcpLine(0, 31000, '0A', 111),
      tcpLine(1, 31001, '01', 112), // ESTABLISHED
      tcpLineAt('00000000', { slot: 2, port: 22, state: '0A', inode: 113 }),
      '',
    ].join('\n');
    expect(parseProcNetTcp(text)).to.deep.equal([
      { port: 31000, address: '127.0.0.1', inode: 111 },
      { port: 22, address: '0.0.0.0', inode: 113 },
    ]);
  });

  it('reads tcp6 addresses', () => {
    const [s] = parseProcNetTcp([HEADER, tcp6Line(0, 31005, 7)].join('\n'));
    expect(s).to.deep.equal({
      port: 31005,
      address: '0000:0000:0000:0000:0000:0000:0000:0001',
      inode: 7,
    });
  });
});

describe('parsePpid', () => {
  it('finds the parent pid even when the command name holds spaces and parentheses', () => {
    expect(parsePpid('42 (a) b (c)) S 7 42 42 0 -1')).to.equal(7);
    expect(parsePpid('1 (init) S 0 1 1')).to.equal(0);
  });
});

/** FakeProc builds a procfs tree: processes with a parent, sockets and net tables. */
class FakeProc {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }
  async process(pid: number, ppid: number, sockets: number[] = []): Promise<void> {
    await mkdir(join(this.root, String(pid), 'fd'), { recursive: true });
    await mkdir(join(this.root, String(pid), 'net'), { recursive: true });
    await writeFile(join(this.root, String(pid), 'stat'), `${pid} (sh) S ${ppid} ${pid} ${pid} 0`);
    for (const [i, inode] of sockets.entries()) {
      await symlink(`socket:[${inode}]`, join(this.root, String(pid), 'fd', String(i + 3)));
    }
    await symlink('/dev/null', join(this.root, String(pid), 'fd', '0'));
  }
  async listeners(pid: number, v4: [number, number][], v6: [number, number][] = []): Promise<void> {
    await writeFile(
      join(this.root, String(pid), 'net', 'tcp'),
      [HEADER, ...v4.map(([port, inode], i) => tcpLine(i, port, '0A', inode))].join('\n'),
    );
    await writeFile(
      join(this.root, String(pid), 'net', 'tcp6'),
      [HEADER, ...v6.map(([port, inode], i) => tcp6Line(i, port, inode))].join('\n'),
    );
  }
}

describe('checkPorts', () => {
  let root = '';
  let proc: FakeProc;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'crl-proc-'));
    proc = new FakeProc(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const allowed = makeRanges([{ begin: 31000, end: 31001 }]);

  it('in its own namespace, every listener counts; ports outside the isolated range do not', async () => {
    await proc.process(100, 1);
    await proc.listeners(
      100,
      [
        [31000, 1],
        [31500, 2],
        [8080, 3],
      ],
      [[31500, 4]],
    );
    const r = await checkPorts({ pid: 100, network: 'own', allowed, proc: root });
    expect(r.listening).to.deep.equal([31000, 31500]);
    expect(r.violations).to.deep.equal([{ port: 31500, allowed }]);
  });

  it('honours a configured isolated range', async () => {
    await proc.process(100, 1);
    await proc.listeners(100, [
      [31500, 2],
      [40000, 3],
    ]);
    const isolatedRange = makeRanges([{ begin: 40000, end: 40010 }]);
    const r = await checkPorts({ pid: 100, network: 'own', allowed, isolatedRange, proc: root });
    expect(r.violations.map(v => v.port)).to.deep.equal([40000]);
  });

  it('on the host network, counts only sockets held by the container and its descendants', async () => {
    await proc.process(100, 1, [10]); // container init
    await proc.process(101, 100, [11]); // its child
    await proc.process(102, 101, [12]); // grandchild
    await proc.process(200, 1, [20]); // someone else on the host
    await proc.listeners(100, [
      [31000, 10],
      [31200, 12],
      [31300, 20],
      [31400, 99],
    ]);
    const r = await checkPorts({ pid: 100, network: 'host', allowed, proc: root });
    expect(r.listening).to.deep.equal([31000, 31200]);
    expect(r.violations.map(v => v.port)).to.deep.equal([31200]);
  });

  it('on the host network, can take the members from a cgroup.procs file', async () => {
    await proc.process(100, 1, [10]);
    await proc.process(300, 1, [30]); // daemonized away from the init, still in the cgroup
    await proc.listeners(100, [
      [31000, 10],
      [31600, 30],
    ]);
    const cgroupProcs = join(root, 'cgroup.procs');
    await writeFile(cgroupProcs, '100\n300\n');
    const r = await checkPorts({ pid: 100, network: 'host', allowed, cgroupProcs, proc: root });
    expect(r.violations.map(v => v.port)).to.deep.equal([31600]);
  });

  it('reports nothing for a container that is gone (no false positive while it is destroyed)', async () => {
    const r = await checkPorts({ pid: 4242, network: 'host', allowed, proc: root });
    expect(r).to.deep.equal({ listening: [], violations: [] });
  });
});

describe('allowedPorts', () => {
  it('is the ports resource on the host network, the declared container ports in its own', () => {
    const host = allowedPorts({ resources: { ports: '31000-31002,31010' } });
    expect(host).to.deep.equal(
      makeRanges([
        { begin: 31000, end: 31002 },
        { begin: 31010, end: 31010 },
      ]),
    );
    const own = allowedPorts({
      resources: { ports: '31000' },
      networkMode: 'own',
      ports: [{ port: 8080, hostPort: 31000 }],
    });
    expect(own).to.deep.equal(makeRanges([{ begin: 8080, end: 8080 }]));
    expect(allowedPorts({ resources: { cpus: 1 } })).to.deep.equal(makeRanges([]));
  });

  it('prefers the exact allocation when the task has one', () => {
    const r = allowedPorts({
      resources: { ports: '31000' },
      allocatedResources: [{ name: 'ports', ranges: '31005-31006' }],
    });
    expect(r).to.deep.equal(makeRanges([{ begin: 31005, end: 31006 }]));
  });
});

describe('PortsMonitor', () => {
  const allowed = makeRanges([{ begin: 31000, end: 31000 }]);

  it('reports a container listening on a port it was not given, once, with Mesos ports reason', async () => {
    const clock = new FakeClock();
    const found: ContainerLimitation[] = [];
    let listening = [31000];
    const mon = new PortsMonitor({
      clock,
      intervalMs: 1000,
      onLimitation: l => found.push(l),
      check: o =>
        Promise.resolve({
          listening,
          violations: listening
            .filter(p => p !== 31000)
            .map(port => ({ port, allowed: o.allowed })),
        }),
    });
    mon.watch('c1', { pid: 1, network: 'own', allowed });
    const stop = new AbortController();
    const run = mon.run(stop.signal);
    await clock.advance(1000);
    expect(found).to.deep.equal([]);
    listening = [31000, 31007, 31008];
    await clock.advance(1000);
    await clock.advance(1000);
    expect(found).to.deep.equal([
      {
        containerId: 'c1',
        reason: 'REASON_CONTAINER_LIMITATION',
        message:
          'Container c1 is listening on unallocated port(s) [31007-31008]; allocated ports: [31000-31000]',
        resources: { ports: '31007-31008' },
      },
    ]);
    expect(mon.watching()).to.deep.equal([]);
    stop.abort();
    await run;
  });

  it('passes the isolated range to the check', async () => {
    let seen: unknown;
    const isolatedRange = makeRanges([{ begin: 5000, end: 5001 }]);
    const mon = new PortsMonitor({
      clock: new FakeClock(),
      isolatedRange,
      onLimitation: () => undefined,
      check: o => {
        seen = o.isolatedRange;
        return Promise.resolve({ listening: [], violations: [] });
      },
    });
    mon.watch('c1', { pid: 1, network: 'host', allowed });
    await mon.checkNow();
    expect(seen).to.equal(isolatedRange);
  });

  it('formats a single port as its own range', () => {
    const l = portsLimitation('c', [{ port: 31500, allowed }]);
    expect(l.resources).to.deep.equal({ ports: '31500' });
  });
});
