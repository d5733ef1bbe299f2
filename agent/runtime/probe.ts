// Can this host run containers? Root, runc, conmon and the cgroup v1 controllers the runtime
// reads must all be there; otherwise RuntimeUnavailableError names every missing piece at once.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { CgroupMounts } from './cgroup-fs.ts';
import { RuntimeUnavailableError } from './errors.ts';

/** REQUIRED_CONTROLLERS are the cgroup v1 controllers limits and stats use. */
export const REQUIRED_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'] as const;

/** findExecutable resolves `name` (or an explicit path) against `searchPath`, as a shell would. */
export function findExecutable(name: string, searchPath: string): string | undefined {
  const candidates = isAbsolute(name)
    ? [name]
    : searchPath
        .split(delimiter)
        .filter(d => d !== '')
        .map(d => join(d, name));
  return candidates.find(c => {
    try {
      accessSync(c, constants.X_OK);
      return statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

/** HostFacts are what the probe checks. */
export interface HostFacts {
  readonly uid: number;
  readonly searchPath: string;
  readonly runc: string;
  readonly conmon: string;
  readonly cgroupMounts: CgroupMounts;
}

/** ResolvedTools are the absolute paths of runc and conmon. */
export interface ResolvedTools {
  readonly runcPath: string;
  readonly conmonPath: string;
}

/** probeHost returns the tool paths or throws RuntimeUnavailableError listing what is missing. */
export function probeHost(facts: HostFacts): ResolvedTools {
  const missing: string[] = [];
  if (facts.uid !== 0) missing.push(`root (running as uid ${facts.uid})`);
  const runcPath = findExecutable(facts.runc, facts.searchPath);
  if (runcPath === undefined) missing.push(`runc (${facts.runc} not found on PATH)`);
  const conmonPath = findExecutable(facts.conmon, facts.searchPath);
  if (conmonPath === undefined) missing.push(`conmon (${facts.conmon} not found on PATH)`);
  const absent = REQUIRED_CONTROLLERS.filter(c => !facts.cgroupMounts.has(c));
  if (absent.length > 0) missing.push(`cgroup v1 controllers (${absent.join(', ')} not mounted)`);
  if (runcPath === undefined || conmonPath === undefined || missing.length > 0) {
    throw new RuntimeUnavailableError(missing);
  }
  return { runcPath, conmonPath };
}
