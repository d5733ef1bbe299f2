// The allocator as a leader-elected component of the controllers process (wiring only: the
// logic is the loop, the model and the adapter). Each leadership term builds a fresh allocator,
// rebuilds it from fresh lists, follows the shared informers and runs the loop; when the term
// ends, writes already sent may finish for a moment before the lease is given up, so the next
// leader's lists see them.
import { Backoff } from '../../core/client/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ControllerContext } from '../main.ts';
import type { Runnable } from '../runtime/runnable.ts';
import { runnableOf } from '../runtime/runnable.ts';
import { pause } from '../runtime/timing.ts';
import { clientOfferApi } from './client-offer-api.ts';
import type { AllocatorConfig, ConfigInput } from './config.ts';
import { makeConfig } from './config.ts';
import type { AllocatorSources, FreshLists } from './fresh-view.ts';
import { allocatorSources, follow, listFresh, snapshotOf } from './fresh-view.ts';
import { createAllocator } from './index.ts';

/** AllocatorComponentOptions configure the allocator component. */
export interface AllocatorComponentOptions {
  readonly config?: ConfigInput;
  /**
   * drainMs bounds how long writes already sent may still take once leadership ends; 1 s by
   * default, below the default lease's margin between renew deadline and lease duration (5 s).
   */
  readonly drainMs?: number;
  /** concurrency bounds the Offer writes in flight; 32 by default. */
  readonly concurrency?: number;
}

/**
 * allocatorComponent is the allocator's registration for `runControllers`. It checks the
 * configuration at once (a bad flag fails at start) and asks the manager for its informers at
 * registration, so they sync before the first term and stay warm between terms.
 */
export function allocatorComponent(
  o: AllocatorComponentOptions = {},
): (ctx: ControllerContext) => Runnable {
  const config = makeConfig(o.config);
  return ctx => {
    const sources = allocatorSources(ctx.manager);
    return runnableOf('allocator', signal => lead({ ctx, sources, config, options: o }, signal));
  };
}

interface Term {
  readonly ctx: ControllerContext;
  readonly sources: AllocatorSources;
  readonly config: AllocatorConfig;
  readonly options: AllocatorComponentOptions;
}

/** lead is one leadership term, from the rebuild until `signal` aborts and writes settled. */
async function lead(t: Term, signal: AbortSignal): Promise<void> {
  const { client, clock } = t.ctx;
  const epoch = clock.now();
  const logger = t.ctx.logger.child({ component: 'allocator', epoch });
  const inFlight = drainAfter(clock, signal, t.options.drainMs ?? 1000);
  const allocator = createAllocator({
    clock,
    config: t.config,
    logger,
    epoch,
    api: clientOfferApi({ client, inFlight: inFlight.signal, quotas: t.sources.quotas.cache }),
    ...(t.options.concurrency === undefined ? {} : { concurrency: t.options.concurrency }),
    ...(t.ctx.metrics === undefined ? {} : { metrics: t.ctx.metrics.allocator }),
  });
  const following = follow(t.sources);
  try {
    const lists = await listUntilDone(t, signal);
    if (lists === undefined) return;
    allocator.adapter.rebuild(snapshotOf(lists));
    following.start(lists, allocator.adapter);
    logger.info(
      {
        agents: lists.agents.items.length,
        frameworks: lists.frameworks.items.length,
        offers: lists.offers.items.length,
        tasks: lists.tasks.items.length,
      },
      'allocator leading: model rebuilt from the API',
    );
    await allocator.loop.run(signal);
  } finally {
    following.stop();
    inFlight.dispose();
    logger.info('allocator stopped');
  }
}

/** listUntilDone lists afresh, retrying with backoff: an API blip must not end the process. */
async function listUntilDone(t: Term, signal: AbortSignal): Promise<FreshLists | undefined> {
  const backoff = new Backoff({ initialMs: 200, maxMs: 5000, jitter: 0.2 });
  while (!signal.aborted) {
    try {
      return await listFresh(t.ctx.client, signal);
    } catch (err) {
      if (signal.aborted) break;
      const delayMs = backoff.next();
      t.ctx.logger.warn({ err, delayMs }, 'allocator cannot list the cluster yet');
      await pause(t.ctx.clock, delayMs, signal);
    }
  }
  return undefined;
}

/**
 * drainAfter is a signal that aborts `ms` after `signal` does (or on dispose): the bound on
 * requests already sent when leadership ended.
 */
function drainAfter(
  clock: Clock,
  signal: AbortSignal,
  ms: number,
): { signal: AbortSignal; dispose(): void } {
  const drain = new AbortController();
  const timer = new AbortController();
  const start = (): void => {
    clock.sleep(ms, timer.signal).then(
      () => drain.abort(new Error(`leadership ended ${ms} ms ago`)),
      () => undefined,
    );
  };
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  return {
    signal: drain.signal,
    dispose() {
      signal.removeEventListener('abort', start);
      timer.abort();
      drain.abort(new Error('allocator term ended'));
    },
  };
}
