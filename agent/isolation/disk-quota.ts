// Whether XFS/ext4 project quota (Mesos `disk/xfs`) could enforce disk limits under a path. On
// this VM it cannot: CONFIG_XFS_QUOTA and CONFIG_QFMT_V2 are unset (containers-here §4.1), so
// the agent falls back to du polling; this check says so, with the reason, instead of trying.
import { statfs } from 'node:fs/promises';
import { realpath, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** QuotaSupport is the answer, with why not. */
export type QuotaSupport =
  | { readonly supported: true; readonly fsType: string }
  | { readonly supported: false; readonly fsType: string; readonly reason: string };

/** QuotaFacts are what the answer depends on, gathered by projectQuotaSupported. */
export interface QuotaFacts {
  readonly path: string;
  /** `f_type` of statfs(2). */
  readonly fsMagic: number;
  /** The kernel's config (`/proc/config.gz`), if readable. */
  readonly kernelConfig?: string;
  /** Superblock options of the mount holding the path (from mountinfo), if found. */
  readonly mountOptions?: readonly string[];
}

const FS_NAMES: Readonly<Record<number, string>> = {
  0x58465342: 'xfs',
  0xef53: 'ext4',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlay',
};

// What each filesystem needs from the kernel for project quota.
const NEEDED: Readonly<Record<string, readonly string[]>> = {
  xfs: ['CONFIG_XFS_QUOTA'],
  ext4: ['CONFIG_QUOTA', 'CONFIG_QFMT_V2'],
};

/**
 * quotaSupportFrom decides from gathered facts: the filesystem must be XFS or ext4, the kernel
 * must have that filesystem's quota options built in (when the config is readable), and the
 * mount must carry `prjquota` (or XFS's `pquota`).
 */
export function quotaSupportFrom(facts: QuotaFacts): QuotaSupport {
  const fsType = FS_NAMES[facts.fsMagic] ?? `0x${facts.fsMagic.toString(16)}`;
  const needed = NEEDED[fsType];
  if (needed === undefined) {
    return {
      supported: false,
      fsType,
      reason: `${facts.path} is on ${fsType}; project quota needs xfs or ext4`,
    };
  }
  if (facts.kernelConfig !== undefined) {
    const config = facts.kernelConfig;
    const missing = needed.filter(opt => !new RegExp(`^${opt}=[ym]$`, 'm').test(config));
    if (missing.length > 0) {
      return {
        supported: false,
        fsType,
        reason: `the kernel lacks ${missing.join(' and ')}, so ${fsType} project quota cannot be enabled`,
      };
    }
  }
  const opts = facts.mountOptions ?? [];
  if (!opts.includes('prjquota') && !opts.includes('pquota')) {
    return {
      supported: false,
      fsType,
      reason: `the ${fsType} mount holding ${facts.path} has no prjquota option`,
    };
  }
  return { supported: true, fsType };
}

/** parseMountinfo returns the superblock options of the mount holding `path` (longest prefix). */
export function parseMountinfo(text: string, path: string): string[] | undefined {
  let best: { point: string; options: string[] } | undefined;
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    const point = left?.split(' ')[4]?.replace(/\\040/g, ' ');
    const superOptions = right?.split(' ')[2];
    if (point === undefined || superOptions === undefined) continue;
    const under = point === '/' || path === point || path.startsWith(`${point}/`);
    // Later lines win ties: a mount stacked over another at the same point hides it.
    if (under && (best === undefined || point.length >= best.point.length)) {
      best = { point, options: superOptions.split(',') };
    }
  }
  return best?.options;
}

async function kernelConfig(): Promise<string | undefined> {
  try {
    return (await promisify(gunzip)(await readFile('/proc/config.gz'))).toString('utf8');
  } catch {
    return undefined; // not every kernel exposes its config; the mount check still applies
  }
}

/**
 * projectQuotaSupported reports whether XFS/ext4 project quota can enforce limits under `path`
 * (statfs, `/proc/config.gz`, `/proc/self/mountinfo`). Here it is false: ext4 root, kernel
 * without CONFIG_QFMT_V2 and CONFIG_XFS_QUOTA.
 */
export async function projectQuotaSupported(path: string): Promise<QuotaSupport> {
  const real = await realpath(path);
  const [fs, config, mountinfo] = await Promise.all([
    statfs(real),
    kernelConfig(),
    readFile('/proc/self/mountinfo', 'utf8'),
  ]);
  const mountOptions = parseMountinfo(mountinfo, real);
  return quotaSupportFrom({
    path,
    fsMagic: fs.type,
    ...(config === undefined ? {} : { kernelConfig: config }),
    ...(mountOptions === undefined ? {} : { mountOptions }),
  });
}
