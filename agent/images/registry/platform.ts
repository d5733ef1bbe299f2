// Choosing one image out of an index or manifest list for the platform the agent runs on.
import { UnsupportedImageError } from '../errors.ts';
import type { Descriptor, ImageIndex, Platform } from './manifest.ts';

const GOARCH: Readonly<Record<string, Platform>> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

/** currentPlatform is the OCI platform of this process (Node's arch names mapped to Go's). */
export function currentPlatform(): Platform {
  return GOARCH[process.arch] ?? { os: 'linux', architecture: process.arch };
}

/** platformText renders `os/arch[/variant]` for messages. */
export function platformText(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(s => s !== undefined).join('/');
}

// arm64 images are often published without a variant; an absent variant matches any
const variantMatches = (want: Platform, have: Platform): boolean =>
  have.variant === undefined || want.variant === undefined || have.variant === want.variant;

/**
 * selectPlatform picks the index entry for `want`: os and architecture must match, an exact
 * variant beats a missing one, and the first such entry wins (registries list in preference
 * order). Entries without a platform (BuildKit attestations use `unknown/unknown`) never match.
 */
export function selectPlatform(index: ImageIndex, want: Platform): Descriptor {
  const candidates = index.manifests.filter(
    d =>
      d.platform !== undefined &&
      d.platform.os === want.os &&
      d.platform.architecture === want.architecture &&
      variantMatches(want, d.platform),
  );
  const exact = candidates.find(d => d.platform?.variant === want.variant);
  const chosen = exact ?? candidates[0];
  if (chosen === undefined) {
    const have = index.manifests.map(d => (d.platform ? platformText(d.platform) : '?'));
    throw new UnsupportedImageError(
      `no image for ${platformText(want)} in the index (has: ${have.join(', ') || 'none'})`,
    );
  }
  return chosen;
}
