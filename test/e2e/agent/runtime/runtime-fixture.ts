// A real RuncRuntime in a private temp work dir and runc root, with an agent id of its own (so
// its cgroups are /corral/<agentId>/...). Every container a test creates through `spec()` ids is
// destroyed when the fixture stops, even if the test failed; the VM is shared, so nothing else
// is ever touched.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { systemClock } from '../../../../core/util/clock.ts';
import { RuncRuntime } from '../../../../agent/runtime/runc-runtime.ts';
import type { RuncRuntimeOptions } from '../../../../agent/runtime/runc-runtime.ts';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';

/** RuntimeFixture is one runtime plus what cleanup needs. */
export interface RuntimeFixture {
  readonly runtime: RuncRuntime;
  readonly dir: string;
  readonly options: RuncRuntimeOptions;
  /** newId makes a unique `crl-` container id that stop() will destroy. */
  newId(label: string): string;
  /** reopen builds a second runtime over the same work dir and runc root (an agent restart). */
  reopen(): Promise<RuncRuntime>;
  stop(): Promise<void>;
}

/** startRuntime creates the fixture (work dir `<temp>/<workDirName>`) and registers its cleanup. */
export async function startRuntime(workDirName = 'work'): Promise<RuntimeFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'crl-rt-'));
  const options: RuncRuntimeOptions = {
    agentId: `crl-agent-${randomBytes(4).toString('hex')}`,
    workDir: join(dir, workDirName),
    runcRoot: join(dir, 'runc'),
    clock: systemClock,
  };
  const runtime = await RuncRuntime.open(options);
  const ids = new Set<string>();
  const stop = async (): Promise<void> => {
    for (const id of ids) await runtime.destroy(id).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  const unregister = registerFixture(stop);
  return {
    runtime,
    dir,
    options,
    newId: label => {
      const id = `crl-${label}-${randomBytes(3).toString('hex')}`;
      ids.add(id);
      return id;
    },
    reopen: () => RuncRuntime.open(options),
    stop: async () => {
      unregister();
      await stop();
    },
  };
}

/** hostTask is a no-image task running `sh -c script` with small default resources. */
export function hostTask(id: string, script: string, extra: Partial<ContainerSpec> = {}) {
  const spec: ContainerSpec = {
    id,
    process: { args: ['/bin/sh', '-c', script] },
    rootfs: { kind: 'host' },
    resources: { requests: { cpus: '0.5', mem: 64 } },
    network: 'own',
    ...extra,
  };
  return spec;
}

/** collect gathers an exec'd process's output and exit code. */
export function collect(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}
