// The real Debian docker-registry (2.8.2) on a free 127.0.0.1 port with its own temp config and
// storage, and skopeo to push into it. The runner stops the registry by its pid.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../../core/util/free-port.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';

const run = promisify(execFile);

/** LocalRegistry is a running registry: where it listens, and its pid. */
export interface LocalRegistry {
  readonly host: string;
  readonly pid: number;
  readonly dir: string;
}

/** startRegistry starts docker-registry and waits until /v2/ answers 200. */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: warn, fields: {service: registry}}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: 127.0.0.1:${port}}`,
      '',
    ].join('\n'),
  );
  const log = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn('/usr/bin/docker-registry', ['serve', config], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = child.pid ?? 0;
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  registerFixture(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(
        () => child.exitCode === null && process.kill(pid, 'SIGKILL'),
        5_000,
      );
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const host = `127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`docker-registry exited; see ${dir}/registry.log`);
    const res = await fetch(`http://${host}/v2/`);
    if (res.status !== 200) throw new Error(`registry answered ${res.status}`);
  }, 20_000);
  return { host, pid, dir };
}

/** skopeoPush copies `oci:<layout>:<tag>` to the registry, as OCI or (with v2s2) Docker schema2. */
export async function skopeoPush(o: {
  layout: string;
  tag: string;
  dest: string;
  format?: 'oci' | 'v2s2';
}): Promise<void> {
  await run('skopeo', [
    '--insecure-policy',
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...(o.format === undefined ? [] : ['--format', o.format]),
    `oci:${o.layout}:${o.tag}`,
    `docker://${o.dest}`,
  ]);
}
