// Automatic image GC. Three triggers, checked every watch interval: Mesos 1.5's
// `--image_gc_config` (the filesystem holding the store has fallen to its free-space headroom),
// the store itself growing past a size, and a periodic pass. Pressure passes (the first two)
// remove every image no container holds, as Mesos does; a periodic pass also spares images a
// container used recently, so a task that comes back soon does not pull its image again.
// Images held by a lease (a container created from them, across agent restarts too) and the
// excluded ones are never collected.
import { statfs } from 'node:fs/promises';
import type { Clock } from '../../../core/util/clock.ts';
import type { Digest } from '../digest.ts';
import type { GcOptions, GcReport } from './gc.ts';

/** ImageGcConfig is Mesos's ImageGcConfig with durations in milliseconds, plus two triggers. */
export interface ImageGcConfig {
  /** imageDiskHeadroom (0..1): collect when free space / total is at or below it. */
  readonly imageDiskHeadroom: number;
  /** imageDiskWatchIntervalMs is how often the triggers are checked. */
  readonly imageDiskWatchIntervalMs: number;
  /** excludedImages are references or digests never collected. */
  readonly excludedImages: readonly string[];
  /** maxStoreBytes: also collect when the store occupies more than this (absent: no limit). */
  readonly maxStoreBytes?: number;
  /** intervalMs: also collect this often whatever the disk says (absent or 0: never). */
  readonly intervalMs?: number;
  /** maxUnusedAgeMs: a periodic pass spares images pulled, leased or released this recently. */
  readonly maxUnusedAgeMs?: number;
}

/** FsSpace is a filesystem's size and free bytes (for unprivileged users). */
export interface FsSpace {
  readonly total: number;
  readonly free: number;
}

/** GcTrigger is why a pass runs. */
export type GcTrigger = 'headroom' | 'storeSize' | 'periodic';

/** GcLoopOptions are the loop's dependencies. */
export interface GcLoopOptions {
  readonly config: ImageGcConfig;
  readonly storeDir: string;
  readonly gc: (opts: GcOptions) => Promise<GcReport>;
  /** inUse returns the digests of images the agent's containers use right now. */
  readonly inUse: () => ReadonlySet<Digest>;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly space?: (dir: string) => Promise<FsSpace>;
  /** usage is the bytes the store occupies (needed with maxStoreBytes). */
  readonly usage?: () => Promise<number>;
  /** onCollected hears every pass that ran, with its trigger. */
  readonly onCollected?: (trigger: GcTrigger, report: GcReport) => void;
  /** onError hears a failed pass; the loop goes on. */
  readonly onError?: (e: unknown) => void;
}

/** fsSpace reads a filesystem's size with statfs(2). */
export async function fsSpace(dir: string): Promise<FsSpace> {
  const s = await statfs(dir);
  return { total: s.blocks * s.bsize, free: s.bavail * s.bsize };
}

/** needsGc is true when the free fraction is at or below the headroom. */
export function needsGc(space: FsSpace, headroom: number): boolean {
  return space.total > 0 && space.free / space.total <= headroom;
}

/** checkGcConfig throws RangeError for a configuration the loop cannot run with. */
export function checkGcConfig(c: ImageGcConfig): void {
  if (!(c.imageDiskHeadroom >= 0 && c.imageDiskHeadroom <= 1))
    throw new RangeError('imageDiskHeadroom must be in [0, 1]');
  if (!(c.imageDiskWatchIntervalMs > 0))
    throw new RangeError('imageDiskWatchIntervalMs must be positive');
  for (const [name, v] of Object.entries({
    maxStoreBytes: c.maxStoreBytes,
    intervalMs: c.intervalMs,
    maxUnusedAgeMs: c.maxUnusedAgeMs,
  })) {
    if (v !== undefined && !(v >= 0)) throw new RangeError(`${name} must not be negative`);
  }
}

// trigger decides whether a pass is due now; the cheap checks come first (statfs before du).
async function trigger(o: GcLoopOptions, lastPassAt: number): Promise<GcTrigger | undefined> {
  const c = o.config;
  if (needsGc(await (o.space ?? fsSpace)(o.storeDir), c.imageDiskHeadroom)) return 'headroom';
  if (c.maxStoreBytes !== undefined && o.usage !== undefined) {
    if ((await o.usage()) > c.maxStoreBytes) return 'storeSize';
  }
  const every = c.intervalMs ?? 0;
  if (every > 0 && o.clock.now() - lastPassAt >= every) return 'periodic';
  return undefined;
}

/**
 * runImageGcLoop checks the triggers every watch interval (and when a periodic pass falls due)
 * until `signal` aborts; resolves then. The first periodic pass comes one interval after start.
 */
export async function runImageGcLoop(o: GcLoopOptions): Promise<void> {
  const c = o.config;
  checkGcConfig(c);
  let lastPassAt = o.clock.now();
  while (!o.signal.aborted) {
    try {
      const why = await trigger(o, lastPassAt);
      if (why !== undefined) {
        // a failed pass counts as one too, or a periodic trigger would retry without a pause
        lastPassAt = o.clock.now();
        const spare = why === 'periodic' && c.maxUnusedAgeMs !== undefined;
        const report = await o.gc({
          keep: o.inUse(),
          excludedImages: c.excludedImages,
          ...(spare ? { maxUnusedAgeMs: c.maxUnusedAgeMs } : {}),
        });
        o.onCollected?.(why, report);
      }
    } catch (e) {
      o.onError?.(e);
    }
    const every = c.intervalMs ?? 0;
    const untilPeriodic = every > 0 ? lastPassAt + every - o.clock.now() : Infinity;
    // a due periodic pass still due here means checking failed: wait a whole watch interval
    const wait = Math.min(c.imageDiskWatchIntervalMs, untilPeriodic);
    try {
      await o.clock.sleep(wait > 0 ? wait : c.imageDiskWatchIntervalMs, o.signal);
    } catch {
      return; // aborted
    }
  }
}
