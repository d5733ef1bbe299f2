import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, type EtcdProcess } from '../../api/etcd/process.ts';
import { freePort } from '../../core/util/free-port.ts';
import { registerFixture } from './fixtures.ts';

let shared: Promise<EtcdProcess> | undefined;

/** sharedEtcd starts one etcd per test run on free loopback ports; the runner stops it. */
export function sharedEtcd(): Promise<EtcdProcess> {
  shared ??= freshEtcd();
  return shared;
}

/** freshEtcd starts a private etcd in a temp dir, for tests that need one to themselves. */
export async function freshEtcd(): Promise<EtcdProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'corral-etcd-'));
  const etcd = await startEtcd({
    dataDir,
    clientPort: await freePort(),
    peerPort: await freePort(),
  });
  registerFixture(async () => {
    await etcd.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return etcd;
}

let counter = 0;
/** uniquePrefix gives each test its own key space inside the shared etcd. */
export function uniquePrefix(name: string): string {
  counter += 1;
  return `/t-${process.pid}-${counter}-${name}`;
}
