import type { VersionInfo } from './types.ts';

/** VersionInfoOptions overrides the build facts `/version` reports; all have stable defaults. */
export interface VersionInfoOptions {
  gitCommit?: string;
  buildDate?: string;
  goVersion?: string;
  platform?: string;
}

/**
 * versionInfo is the `/version` document. It claims kube 1.32 because the gcloud kubectl
 * dispatcher picks the kubectl binary from `minor` (and kubectl warns on a skew over one minor).
 */
export function versionInfo(opts: VersionInfoOptions = {}): VersionInfo {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-corral',
    gitCommit: opts.gitCommit ?? '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: opts.buildDate ?? '2025-01-01T00:00:00Z',
    goVersion: opts.goVersion ?? 'go1.23.0',
    compiler: 'gc',
    platform: opts.platform ?? 'linux/amd64',
  };
}
