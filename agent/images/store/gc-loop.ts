// Automatic image GC as Mesos 1.5's `--image_gc_config` does it: every watch interval, look at the
// filesystem holding the store; when its free fraction has fallen to the headroom, collect.
import { statfs } from 'node:fs/promises';
import type { Clock } from '../../../core/util/clock.ts';
import type { Digest } from '../digest.ts';
import type { GcOptions, GcReport } from './gc.ts';

/** ImageGcConfig is Mesos's ImageGcConfig with durations in milliseconds. */
export interface ImageGcConfig {
  /** imageDiskHeadroom (0..1): collect when free space / total is at or below it. */
  readonly imageDiskHeadroom: number;
  readonly imageDiskWatchIntervalMs: number;
  /** excludedImages are references or digests never collected. */
  readonly excludedImages: readonly string[];
}

/** FsSpace is a filesystem's size and free bytes (for unprivileged users). */
export interface FsSpace {
  readonly total: number;
  readonly free: number;
}

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

/** runImageGcLoop checks every interval until `signal` aborts; resolves then. */
export async function runImageGcLoop(o: GcLoopOptions): Promise<void> {
  const { imageDiskHeadroom: headroom, imageDiskWatchIntervalMs: every } = o.config;
  if (!(headroom >= 0 && headroom <= 1))
    throw new RangeError('imageDiskHeadroom must be in [0, 1]');
  if (!(every > 0)) throw new RangeError('imageDiskWatchIntervalMs must be positive');
  const space = o.space ?? fsSpace;
  while (!o.signal.aborted) {
    try {
      if (needsGc(await space(o.storeDir), headroom))
        await o.gc({ keep: o.inUse(), excludedImages: o.config.excludedImages });
    } catch (e) {
      o.onError?.(e);
    }
    try {
      await o.clock.sleep(every, o.signal);
    } catch {
      return; // aborted
    }
  }
}
