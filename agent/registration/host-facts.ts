// Reads the machine facts resource detection needs: CPUs, memory, and the size of the work
// dir's filesystem. The only impure part of registration's resource handling.
import { statfs } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import type { HostFacts } from './host-resources.ts';

/** readHostFacts measures this machine; `workDir` must exist. */
export async function readHostFacts(workDir: string): Promise<HostFacts> {
  const fs = await statfs(workDir);
  return {
    cpus: availableParallelism(),
    memBytes: totalmem(),
    diskBytes: fs.blocks * fs.bsize,
  };
}
