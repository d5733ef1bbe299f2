// Image config → the process a task runs, with Mesos's docker/runtime rules for how a task's
// CommandInfo overrides the image's Entrypoint and Cmd (docs/isolators/docker-runtime.md):
//   shell=true             → /bin/sh -c <value> (image ignored; no value is an error)
//   shell=false, value     → <value> <arguments[1..]> (arguments carry argv[0], as in Mesos)
//   shell=false, no value  → Entrypoint.. (arguments or else Cmd..), or Cmd[0] (arguments or else Cmd[1..])
//   no command             → Entrypoint.. Cmd.., or Cmd..
import type { Command, EnvVar } from '../../core/types/task-template.ts';
import { UnsupportedImageError } from './errors.ts';
import type { ContainerDefaults } from './image-config.ts';

/** ProcessDefaults is what the runtime puts in the OCI spec's `process`. */
export interface ProcessDefaults {
  readonly args: readonly string[];
  /** env is the image's Env, then the task's variables (which win by name); PATH always set. */
  readonly env: readonly EnvVar[];
  readonly cwd: string;
  /** user is the image's or task's user spec (`name`, `uid`, `uid:gid`...), undefined for root. */
  readonly user: string | undefined;
}

/** DEFAULT_PATH is set when an image has no PATH, as Docker does. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function launchArgs(d: ContainerDefaults, c: Command | undefined): string[] {
  const args = c?.arguments ?? [];
  if (c !== undefined && c.shell !== false) {
    if (c.value === undefined || c.value === '')
      throw new UnsupportedImageError('a shell command needs a value');
    return ['/bin/sh', '-c', c.value];
  }
  if (c?.value !== undefined && c.value !== '') return [c.value, ...args.slice(1)];
  const entrypoint = d.entrypoint ?? [];
  const cmd = d.cmd ?? [];
  if (entrypoint.length > 0) return [...entrypoint, ...(args.length > 0 ? args : cmd)];
  if (cmd.length > 0) return [cmd[0] ?? '', ...(args.length > 0 ? args : cmd.slice(1))];
  throw new UnsupportedImageError(
    'the image has no Entrypoint or Cmd and the task gives no command',
  );
}

function mergeEnv(image: readonly string[], task: readonly EnvVar[]): EnvVar[] {
  const byName = new Map<string, string>();
  for (const kv of image) {
    const eq = kv.indexOf('=');
    byName.set(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? '' : kv.slice(eq + 1));
  }
  if (!byName.has('PATH')) byName.set('PATH', DEFAULT_PATH);
  for (const e of task) byName.set(e.name, e.value ?? '');
  return [...byName].map(([name, value]) => ({ name, value }));
}

/** imageProcess combines an image's defaults with a task's command and env (see the table above). */
export function imageProcess(
  defaults: ContainerDefaults,
  command?: Command,
  env: readonly EnvVar[] = [],
): ProcessDefaults {
  return {
    args: launchArgs(defaults, command),
    env: mergeEnv(defaults.env, env),
    cwd: defaults.workingDir ?? '/',
    user: command?.user ?? defaults.user,
  };
}
