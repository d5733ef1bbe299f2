// Which filter a task gets (Mesos `linux/seccomp` prepare(), mesos-features §8.1): the task's
// named profile from the agent's profile directory, no filter when it asks to be unconfined, or
// the agent's default. The default is loaded and validated once, at agent start, so a bad default
// stops the agent instead of failing every launch.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { SeccompProfile } from '../../core/types/task-template.ts';
import { defaultSeccompFilter } from './seccomp-default.ts';
import { toOciSeccomp } from './seccomp-oci.ts';
import type { OciSeccomp, SeccompFilter } from './seccomp-types.ts';
import { SeccompProfileError } from './seccomp-types.ts';
import { parseSeccompProfile } from './seccomp-validate.ts';

/** SeccompDecision is what to put in OCI `linux.seccomp`: a filter, or nothing. */
export type SeccompDecision =
  | { readonly kind: 'filtered'; readonly profile: string; readonly seccomp: OciSeccomp }
  | { readonly kind: 'unconfined' };

/** SeccompLaunchError is a task's seccomp request that cannot be honoured; the launch fails. */
export class SeccompLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeccompLaunchError';
  }
}

/**
 * SeccompOptions configures the isolator: `profileDir` holds named profiles (Mesos
 * `--seccomp_config_dir`); `defaultProfile` is a name in it, `'builtin'` (the default) for
 * DEFAULT_SECCOMP_PROFILE, or `'unconfined'` for no default filter.
 */
export interface SeccompOptions {
  readonly profileDir?: string;
  readonly defaultProfile?: string;
}

/** SeccompIsolator chooses each task's filter. Build it with `SeccompIsolator.create`. */
export class SeccompIsolator {
  readonly #profileDir: string | undefined;
  readonly #default: SeccompDecision;
  readonly #warnings: readonly string[];

  private constructor(dir: string | undefined, def: SeccompDecision, warnings: readonly string[]) {
    this.#profileDir = dir;
    this.#default = def;
    this.#warnings = warnings;
  }

  /**
   * create loads and validates the default profile. Throws SeccompProfileError for an invalid
   * default and SeccompLaunchError when a named default has no profile directory or no file.
   */
  static async create(options: SeccompOptions = {}): Promise<SeccompIsolator> {
    const name = options.defaultProfile ?? 'builtin';
    if (name === 'unconfined') {
      return new SeccompIsolator(options.profileDir, { kind: 'unconfined' }, []);
    }
    const filter =
      name === 'builtin' ? defaultSeccompFilter() : await loadProfile(options.profileDir, name);
    const def: SeccompDecision = { kind: 'filtered', profile: name, seccomp: toOciSeccomp(filter) };
    return new SeccompIsolator(options.profileDir, def, filter.warnings);
  }

  /** defaultWarnings lists what the default profile says but runc will not do (log at start). */
  get defaultWarnings(): readonly string[] {
    return this.#warnings;
  }

  /**
   * forTask applies Mesos's table: `unconfined` with a profile name is an error; a profile name
   * loads `<profileDir>/<name>` (missing file or invalid profile: SeccompLaunchError /
   * SeccompProfileError); `unconfined` alone means no filter; a request with neither field is
   * "Missing Seccomp profile name"; no request means the agent default.
   */
  async forTask(request: SeccompProfile | undefined): Promise<SeccompDecision> {
    if (request === undefined) return this.#default;
    const { profileName, unconfined = false } = request;
    if (unconfined && profileName !== undefined) {
      throw new SeccompLaunchError(
        "'profileName' given even though 'unconfined' Seccomp setting is enabled",
      );
    }
    if (unconfined) return { kind: 'unconfined' };
    if (profileName === undefined) throw new SeccompLaunchError('Missing Seccomp profile name');
    const filter = await loadProfile(this.#profileDir, profileName);
    return { kind: 'filtered', profile: profileName, seccomp: toOciSeccomp(filter) };
  }
}

/**
 * loadProfile reads and validates `<dir>/<name>`. The name must stay inside the directory (no
 * absolute path, no `..`), since it comes from a framework.
 */
export async function loadProfile(dir: string | undefined, name: string): Promise<SeccompFilter> {
  if (dir === undefined) {
    throw new SeccompLaunchError(
      `seccomp profile '${name}' requested but no profile directory is configured`,
    );
  }
  const rel = normalize(name);
  if (name === '' || isAbsolute(name) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new SeccompLaunchError(
      `seccomp profile name '${name}' must be a path inside the profile directory`,
    );
  }
  let text: string;
  try {
    text = await readFile(join(dir, rel), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SeccompLaunchError(`cannot read seccomp profile '${name}' in ${dir}: ${code}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SeccompProfileError(`'${name}'`, [
      { path: '', message: `not JSON: ${(e as Error).message}` },
    ]);
  }
  return parseSeccompProfile(json, `'${name}'`);
}
