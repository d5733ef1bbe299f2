// The agent's image GC: AgentOptions mapped onto the store's GC loop (images/store/gc-loop.ts).
// Images of the agent's containers are kept by their leases (taken at launch, released at
// cleanup, on disk so they hold across restarts), so the loop needs no list of its own.
import type { Logger } from 'pino';
import type { Clock } from '../core/util/clock.ts';
import type { ImageGcConfig, ImageStore } from './images/index.ts';
import { checkGcConfig, runImageGcLoop } from './images/index.ts';
import type { AgentOptions } from './options.ts';
import { AGENT_DEFAULTS } from './options.ts';

/**
 * imageGcConfig is the GC configuration the options ask for, defaults filled in; it throws
 * RangeError for values the loop cannot run with (a headroom outside [0, 1], a negative time).
 */
export function imageGcConfig(o: AgentOptions): ImageGcConfig {
  const config = {
    imageDiskHeadroom: o.imageDiskHeadroom ?? AGENT_DEFAULTS.imageDiskHeadroom,
    imageDiskWatchIntervalMs: o.imageDiskWatchIntervalMs ?? AGENT_DEFAULTS.imageDiskWatchIntervalMs,
    excludedImages: o.imageGcExcluded ?? [],
    intervalMs: o.imageGcIntervalMs ?? AGENT_DEFAULTS.imageGcIntervalMs,
    maxUnusedAgeMs: o.imageGcMaxUnusedMs ?? AGENT_DEFAULTS.imageGcMaxUnusedMs,
    ...(o.imageStoreMaxBytes === undefined ? {} : { maxStoreBytes: o.imageStoreMaxBytes }),
  };
  checkGcConfig(config);
  return config;
}

/** ImageGcDeps are what the agent's GC loop runs over. */
export interface ImageGcDeps {
  readonly config: ImageGcConfig;
  readonly images: ImageStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** runImageGc collects unused images until `signal` aborts (a failed pass is logged). */
export function runImageGc(d: ImageGcDeps): Promise<void> {
  return runImageGcLoop({
    config: d.config,
    storeDir: d.images.root,
    gc: opts => d.images.gc(opts),
    inUse: () => new Set(),
    usage: () => d.images.usage(),
    clock: d.clock,
    signal: d.signal,
    onCollected: (trigger, report) =>
      d.logger.debug({ trigger, freedBytes: report.freedBytes }, 'image gc pass'),
    onError: err => d.logger.warn({ err }, 'image gc failed; trying again at the next check'),
  });
}
