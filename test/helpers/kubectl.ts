import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerFixture } from './fixtures.ts';

/** KubectlResult is what one kubectl invocation printed and returned. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Kubectl runs the machine's kubectl against one kubeconfig with a private cache dir. */
export interface Kubectl {
  run(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** ok runs and throws with kubectl's stderr when it fails. */
  ok(args: readonly string[], input?: string): Promise<string>;
  /** watch starts a long-running kubectl (e.g. `get -w`) and collects its output. */
  watch(args: readonly string[]): { output: () => string; stop: () => void; process: ChildProcess };
}

/** kubectlAvailable tells whether a kubectl binary is on PATH. */
export function kubectlAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v kubectl'], { stdio: 'ignore' }).status === 0;
}

/** makeKubectl builds a Kubectl for a kubeconfig; HOME points to a temp dir so no cache leaks. */
export function makeKubectl(kubeconfig: string): Kubectl {
  const home = mkdtempSync(join(tmpdir(), 'corral-kubectl-'));
  const env = { ...process.env, HOME: home, KUBECONFIG: kubeconfig };
  const run = (args: readonly string[], input?: string): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  return {
    run,
    async ok(args, input) {
      const r = await run(args, input);
      if (r.code !== 0)
        throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    watch(args) {
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const stop = (): void => {
        if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      };
      registerFixture(() => Promise.resolve(stop()));
      return { output: () => out, stop, process: child };
    },
  };
}
