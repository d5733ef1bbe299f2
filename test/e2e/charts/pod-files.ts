// A stand-in for the kubelet's part in the chart e2e test (no Kubernetes cluster runs here): it
// writes the files a rendered pod's Secret, ConfigMap and projected volumes would show under
// their mount paths, inside a temporary root, and points the container's arguments there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Container, Manifest, Volume } from '../../unit/charts/helm.ts';
import { decodeData, podSpec } from '../../unit/charts/helm.ts';

interface Items {
  readonly items?: readonly { key: string; path: string }[];
}

function dataOf(objects: readonly Manifest[], kind: string, name: string): Record<string, string> {
  const o = objects.find(x => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`the pod mounts ${kind} ${name}, which was not rendered`);
  return kind === 'Secret' ? decodeData(o) : ((o['data'] ?? {}) as Record<string, string>);
}

// the files of one source (a Secret or ConfigMap), as the kubelet projects them
function project(data: Record<string, string>, src: Items): [string, string][] {
  if (src.items === undefined) return Object.entries(data);
  return src.items.map(({ key, path }) => {
    const value = data[key];
    if (value === undefined) throw new Error(`key ${key} is missing from the mounted object`);
    return [path, value];
  });
}

function filesOf(objects: readonly Manifest[], v: Volume): [string, string][] | undefined {
  const secret = v['secret'] as (Items & { secretName: string }) | undefined;
  if (secret !== undefined) return project(dataOf(objects, 'Secret', secret.secretName), secret);
  const cm = v['configMap'] as (Items & { name: string }) | undefined;
  if (cm !== undefined) return project(dataOf(objects, 'ConfigMap', cm.name), cm);
  const projected = v['projected'] as
    | { sources: { secret?: Items & { name: string }; configMap?: Items & { name: string } }[] }
    | undefined;
  if (projected === undefined) return undefined; // hostPath, emptyDir: an empty directory
  return projected.sources.flatMap(s => {
    if (s.secret !== undefined) return project(dataOf(objects, 'Secret', s.secret.name), s.secret);
    if (s.configMap !== undefined)
      return project(dataOf(objects, 'ConfigMap', s.configMap.name), s.configMap);
    throw new Error(`unexpected projected source ${JSON.stringify(s)}`);
  });
}

/** PodFiles are a container's volumes laid out under `root`. */
export interface PodFiles {
  /** at maps a path inside the container to where it is under the root. */
  at(containerPath: string): string;
  /** args are the container's arguments with mounted paths moved under the root. */
  readonly args: string[];
}

/** layOutPod writes the files of `c`'s mounts (of workload `w`) under `root`. */
export function layOutPod(
  objects: readonly Manifest[],
  w: Manifest,
  c: Container,
  root: string,
): PodFiles {
  const volumes = new Map((podSpec(w).volumes ?? []).map(v => [v.name, v]));
  const mounts = c.volumeMounts ?? [];
  for (const m of mounts) {
    const v = volumes.get(m.name);
    if (v === undefined) throw new Error(`mount ${m.name} has no volume`);
    const dir = join(root, m.mountPath);
    mkdirSync(dir, { recursive: true });
    for (const [path, content] of filesOf(objects, v) ?? []) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
  const at = (p: string): string =>
    mounts.some(m => p === m.mountPath || p.startsWith(`${m.mountPath}/`)) ? join(root, p) : p;
  const args = (c.args ?? []).map(a => {
    const eq = a.indexOf('=');
    return eq < 0 ? a : `${a.slice(0, eq + 1)}${at(a.slice(eq + 1))}`;
  });
  return { at, args };
}
