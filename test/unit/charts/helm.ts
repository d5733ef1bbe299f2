// Runs the real helm binary on charts/corral and parses what it renders, for the chart tests.
// helm comes from the machine's PATH or from .tools/bin, where `node scripts/bootstrap.mjs test`
// (run by `npm test`) unpacks it; a machine with neither fails these tests with that hint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** CHART_DIR is the chart under test. */
export const CHART_DIR = resolve('charts/corral');

/** HelmResult is what one helm invocation printed and returned. */
export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function helmBinary(): string {
  const bundled = resolve('.tools/bin/helm');
  if (existsSync(bundled)) return bundled;
  const found = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  throw new Error('no helm binary: run `node scripts/bootstrap.mjs test` (or npm test) first');
}

/** helm runs helm with a private HOME, so no repository config or cache of the user's leaks in. */
export function helm(args: readonly string[]): HelmResult {
  const home = mkdtempSync(join(tmpdir(), 'corral-helm-'));
  try {
    const r = spawnSync(helmBinary(), args, {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home },
      timeout: 60_000,
    });
    if (r.error !== undefined) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** withValuesFile writes `values` to a temporary values file for the duration of `fn`. */
export function withValuesFile<T>(values: unknown, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'corral-values-'));
  try {
    const path = join(dir, 'values.yaml');
    writeFileSync(path, stringify(values));
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Manifest is one rendered Kubernetes object, loosely typed: tests read what they assert on. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Record<
    string,
    unknown
  >;
  readonly [key: string]: unknown;
}

/** RELEASE and NAMESPACE are the release every render uses, so object names are known. */
export const RELEASE = 't';
export const NAMESPACE = 'corral-test';

/** templateResult runs `helm template` with the given values (none: the chart's defaults). */
export function templateResult(values?: unknown): HelmResult {
  const base = ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE];
  if (values === undefined) return helm(base);
  return withValuesFile(values, path => helm([...base, '--values', path]));
}

/** render is `helm template` parsed into objects; it throws with helm's stderr on failure. */
export function render(values?: unknown): Manifest[] {
  const r = templateResult(values);
  if (r.code !== 0) throw new Error(`helm template failed (${r.code}): ${r.stderr}`);
  const docs = parseAllDocuments(r.stdout);
  for (const d of docs) {
    if (d.errors.length > 0)
      throw new Error(`rendered YAML does not parse: ${d.errors[0]?.message ?? ''}`);
  }
  return docs.map(d => d.toJS() as unknown).filter((o): o is Manifest => o !== null);
}

/** find returns the one object of `kind` named `name`, or throws listing what was rendered. */
export function find(objects: readonly Manifest[], kind: string, name: string): Manifest {
  const hit = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (hit === undefined) {
    const all = objects.map(o => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} among: ${all}`);
  }
  return hit;
}

/** Container is the part of a rendered container spec the tests read. */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly env?: { name: string; value?: string; valueFrom?: unknown }[];
  readonly ports?: { name: string; containerPort: number }[];
  readonly volumeMounts?: { name: string; mountPath: string; mountPropagation?: string }[];
  readonly securityContext?: Record<string, unknown>;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
}

/** Probe is a rendered probe (httpGet only: the chart uses no other kind). */
export interface Probe {
  readonly httpGet?: { path: string; port: number | string; scheme?: string; host?: string };
}

/** Volume is a rendered pod volume. */
export interface Volume {
  readonly name: string;
  readonly [source: string]: unknown;
}

/** PodSpec is the part of a rendered pod spec the tests read. */
export interface PodSpec {
  readonly containers: Container[];
  readonly volumes?: Volume[];
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly dnsPolicy?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: Record<string, unknown>;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: unknown[];
}

/** podSpec is a workload's pod template spec. */
export function podSpec(workload: Manifest): PodSpec {
  const spec = workload['spec'] as { template: { spec: PodSpec } };
  return spec.template.spec;
}

/** container is a workload's one container. */
export function container(workload: Manifest): Container {
  const [c] = podSpec(workload).containers;
  if (c === undefined)
    throw new Error(`${workload.kind}/${workload.metadata.name} has no container`);
  return c;
}

/** flag returns the value of `--name=value` in args (undefined when absent). */
export function flag(args: readonly string[] | undefined, name: string): string | undefined {
  const prefix = `--${name}=`;
  return args?.find(a => a.startsWith(prefix))?.slice(prefix.length);
}

/** decodeData is a Secret's data, base64-decoded. */
export function decodeData(secret: Manifest): Record<string, string> {
  const data = (secret['data'] ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}
