// The allocator: Mesos's hierarchical DRF allocator as a loop over an in-memory model.
//
//   model/    agents, frameworks, roles, quotas, filters, offers and usage (AllocatorModel)
//   sorter/   hierarchical weighted DRF with incremental shares (DrfSorter)
//   stages/   the two stages of a cycle: quota guarantees, then fair share
//   cycle.ts  one allocation run: snapshot, quota bookkeeping, stage 1, stage 2, decisions
//   loop.ts   runs cycles on a timer and on events; publishes through a port
//   api-adapter.ts  watch events in, Offers and Quota status out
import type { Clock } from '../../core/util/clock.ts';
import { AllocatorApiAdapter } from './api-adapter.ts';
import type { OfferApi } from './api-adapter.ts';
import type { ConfigInput } from './config.ts';
import { makeConfig } from './config.ts';
import type { LoopLogger, LoopMetrics } from './loop.ts';
import { AllocatorLoop } from './loop.ts';
import { AllocatorModel } from './model/model.ts';
import type { Random } from './random.ts';

export type {
  AdapterOptions,
  AllocatorTriggers,
  ApiSnapshot,
  KindHandlers,
  OfferApi,
} from './api-adapter.ts';
export { AllocatorApiAdapter, REVIVE_ANNOTATION } from './api-adapter.ts';
export type { AllocatorConfig, ConfigInput } from './config.ts';
export {
  DEFAULT_MIN_ALLOCATABLE,
  filterDurationMs,
  makeConfig,
  parseMinAllocatable,
} from './config.ts';
export type { CycleInput, CycleResult } from './cycle.ts';
export { runCycle } from './cycle.ts';
export type { OfferDecision, RescindDecision, RescindReason } from './decisions.ts';
export type {
  AllocatorPublisher,
  LoopLogger,
  LoopMetrics,
  LoopOptions,
  StepReport,
} from './loop.ts';
export { AllocatorLoop } from './loop.ts';
export type { AgentInit } from './model/agent.ts';
export type { FrameworkInit } from './model/framework.ts';
export type { ModelOptions, OfferIdInput } from './model/model.ts';
export { AllocatorModel } from './model/model.ts';
export type { OfferInit, OfferRecord, RecoverOptions, UsageInit } from './model/records.ts';
export type { RoleQuota } from './model/role-tree.ts';
export type { QuotaRoleStatus } from './quota-status.ts';
export { quotaStatus } from './quota-status.ts';
export type { Random } from './random.ts';
export { seededRandom } from './random.ts';

/** AllocatorOptions are the real dependencies main.ts passes to `createAllocator`. */
export interface AllocatorOptions {
  readonly clock: Clock;
  readonly api: OfferApi;
  readonly config?: ConfigInput;
  readonly logger?: LoopLogger;
  readonly random?: Random;
  /** epoch qualifies offer names so a new leader never reuses one; default clock.now(). */
  readonly epoch?: number;
  /** concurrency bounds the Offer creates and deletes in flight; 32 by default. */
  readonly concurrency?: number;
  /** metrics records cycles and Offers published and rescinded; absent: nothing recorded. */
  readonly metrics?: LoopMetrics;
}

/** Allocator is a wired model, loop and adapter. */
export interface Allocator {
  readonly model: AllocatorModel;
  readonly loop: AllocatorLoop;
  readonly adapter: AllocatorApiAdapter;
}

/**
 * createAllocator wires a model, its loop and its API adapter. The caller rebuilds the model
 * from listed objects (`adapter.rebuild`), subscribes the adapter's handlers to the informers,
 * then runs `loop.run(signal)` while it holds the leader lease.
 */
export function createAllocator(o: AllocatorOptions): Allocator {
  const config = makeConfig(o.config);
  const model = new AllocatorModel({
    excludedResourceNames: config.fairnessExcludedResourceNames,
    offerId: AllocatorApiAdapter.offerIds(o.epoch ?? o.clock.now()),
  });
  const loops: AllocatorLoop[] = [];
  const adapter = new AllocatorApiAdapter({
    model,
    config,
    clock: o.clock,
    api: o.api,
    ...(o.logger === undefined ? {} : { logger: o.logger }),
    ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
    triggers: {
      requestAll: () => loops[0]?.requestAll(),
      requestAgents: ids => loops[0]?.requestAgents(ids),
      rescind: decisions => loops[0]?.rescind(decisions),
    },
  });
  const loop = new AllocatorLoop({
    model,
    config,
    clock: o.clock,
    publisher: adapter,
    ...(o.random === undefined ? {} : { random: o.random }),
    ...(o.logger === undefined ? {} : { logger: o.logger }),
    ...(o.metrics === undefined ? {} : { metrics: o.metrics }),
  });
  loops.push(loop);
  return { model, loop, adapter };
}
