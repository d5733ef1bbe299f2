// Kube-aware version ordering (apimachinery's CompareKubeAwareVersionStrings): GA before beta
// before alpha, higher major first, then higher minor; versions that are not kube-like
// (`v1`, `v2beta3`, `v1alpha1`) come last, alphabetically.

const KUBE_VERSION = /^v([0-9]+)(?:(alpha|beta)([0-9]+))?$/;

interface ParsedVersion {
  stability: number; // 2 GA, 1 beta, 0 alpha
  major: number;
  minor: number;
}

function parse(v: string): ParsedVersion | undefined {
  const m = KUBE_VERSION.exec(v);
  if (m === null) return undefined;
  const [, major = '0', level, minor = '0'] = m;
  const stability = level === undefined ? 2 : level === 'beta' ? 1 : 0;
  return { stability, major: Number(major), minor: Number(minor) };
}

/**
 * kubeVersionOrder is a sort comparator putting the most preferred version first:
 * `['v1beta1', 'foo', 'v1', 'v2alpha1'].sort(kubeVersionOrder)` → `['v1', 'v1beta1', 'v2alpha1', 'foo']`.
 */
export function kubeVersionOrder(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined && pb === undefined) return a < b ? -1 : 1;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  if (pa.stability !== pb.stability) return pb.stability - pa.stability;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}
