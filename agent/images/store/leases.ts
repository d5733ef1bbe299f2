// Leases: which holders (container dirs or ids) use which image. They live on disk so that after
// an agent restart GC still sees the images its running containers are built on (Mesos keeps
// images "referenced by active containers"); releasing a view or rootfs removes its lease.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../digest.ts';
import { writeFileAtomic } from './atomic.ts';
import type { StoreContext } from './context.ts';

/** Lease says a holder (a container dir, or any name the agent chooses) uses an image. */
export interface Lease {
  readonly image: Digest;
  readonly holder: string;
  readonly createdAt: number;
}

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

// holders can be long paths and contain anything: name the file by their hash
function leasePath(ctx: StoreContext, holder: string): string {
  return join(ctx.paths.leases, `${createHash('sha256').update(holder).digest('hex')}.json`);
}

/** addLease records (or replaces) the lease of a holder. */
export async function addLease(ctx: StoreContext, lease: Lease): Promise<void> {
  await mkdir(ctx.paths.leases, { recursive: true });
  await writeFileAtomic(ctx.paths.tmp, leasePath(ctx, lease.holder), JSON.stringify(lease));
}

/** readLease returns a holder's lease, if any. */
export async function readLease(ctx: StoreContext, holder: string): Promise<Lease | undefined> {
  try {
    return JSON.parse(await readFile(leasePath(ctx, holder), 'utf8')) as Lease;
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** removeLease forgets a holder's lease (missing is fine). */
export async function removeLease(ctx: StoreContext, holder: string): Promise<void> {
  await rm(leasePath(ctx, holder), { force: true });
}

/** listLeases returns every lease in the store. */
export async function listLeases(ctx: StoreContext): Promise<Lease[]> {
  let names: string[];
  try {
    names = await readdir(ctx.paths.leases);
  } catch (e) {
    if (code(e) === 'ENOENT') return [];
    throw e;
  }
  const out: Lease[] = [];
  for (const n of names.filter(x => x.endsWith('.json'))) {
    try {
      out.push(JSON.parse(await readFile(join(ctx.paths.leases, n), 'utf8')) as Lease);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e; // released while we listed
    }
  }
  return out;
}
