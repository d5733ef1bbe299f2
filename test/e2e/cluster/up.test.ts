import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../core/util/free-port.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';
import { makeKubectl, type Kubectl } from '../../helpers/kubectl.ts';

interface Up {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** startUp runs `corral up` as a user would (the real CLI, its own etcd), on free ports. */
async function startUp(args: readonly string[]): Promise<Up> {
  // its own process group, so stop() can signal the group as a terminal's Ctrl-C does
  const child = spawn(process.execPath, ['cli/corral.ts', 'up', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  registerFixture(stop);
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`corral up exited: ${out}`);
      expect(out).to.include('Corral is up.');
    },
    60_000,
    200,
  );
  return { child, output: () => out, stop };
}

function run(argv: readonly string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      process.kill(child.pid ?? 0, 'SIGKILL');
      reject(new Error(`timed out: ${out}`));
    }, timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

describe('corral up: a real single-node cluster (e2e)', function () {
  this.timeout(300_000);
  let dataDir: string;
  let args: string[];
  let k: Kubectl;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'corral-up-'));
    registerFixture(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const [api, etcd, peer] = [await freePort(), await freePort(), await freePort()];
    args = [
      '--data-dir',
      dataDir,
      '--api-port',
      `${api}`,
      '--etcd-port',
      `${etcd}`,
      '--etcd-peer-port',
      `${peer}`,
      '--agent-name',
      `crl-up-${process.pid}`,
    ];
    k = makeKubectl(join(dataDir, 'kubeconfig'));
  });

  it('runs the batch example to completion on real containers, and keeps its state across a restart', async () => {
    const agentReady = async (): Promise<void> => {
      const jsonpath = 'jsonpath={.status.conditions[?(@.type=="Ready")].status}';
      const ready = await k.ok(['get', 'agents', `crl-up-${process.pid}`, '-o', jsonpath]);
      expect(ready).to.equal('True');
    };
    const first = await startUp(args);
    expect(first.output()).to.match(/kubeconfig\s+\S+kubeconfig/);
    await eventually(agentReady, 30_000, 250);
    const kubeconfig = join(dataDir, 'kubeconfig');
    const batch = await run(
      [
        'examples/batch/main.ts',
        '--kubeconfig',
        kubeconfig,
        '--namespace',
        'batch',
        '--tasks',
        '3',
        '--command',
        'echo done',
        '--resources',
        'cpus:0.1;mem:32',
        '--keep',
      ],
      180_000,
    );
    expect(batch.code, batch.out).to.equal(0);
    expect(batch.out).to.match(/3\/3 finished, 0 failed/);
    // the operator's objects go in after the batch: the sample quota guarantees its role more
    // than this one machine has, so quota headroom would (rightly) hold everything back for it
    await k.ok(['create', 'namespace', 'databases']);
    // samples/ is a snapshot mid offer cycle: the answered samples/offer.yaml and the Operation
    // and Task the offer controller makes from it. Applied in filename order, the live controller
    // would race kubectl to create those two (kubectl's create after its own 404 then fails
    // AlreadyExists); so the records go in first, and the answer finds their names taken.
    await k.ok(['apply', '-f', 'samples/operation.yaml', '-f', 'samples/task.yaml']);
    await k.ok(['apply', '-f', 'samples/']);
    await first.stop();
    // Ctrl-C reached the whole group, but etcd outlived the agent's last write
    const agentLog = readFileSync(join(dataDir, 'logs', 'agent.log'), 'utf8');
    expect(agentLog).to.include('agent stopped; containers keep running');
    expect(agentLog).not.to.include('could not record the stop');

    const second = await startUp(args);
    expect(await k.ok(['get', 'frameworks', '-n', 'batch', '-o', 'name'])).to.match(/corral-batch/);
    expect(await k.ok(['get', 'quota', 'databases', '-o', 'jsonpath={.spec.role}'])).to.equal(
      'databases',
    );
    expect(await k.ok(['get', 'reservations', '-o', 'name'])).to.match(/node-a1-databases/);
    await eventually(agentReady, 30_000, 250);
    await second.stop();
  });
});
