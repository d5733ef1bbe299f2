// The allocation loop (STYLE rule 2: a loop, not a reconciler). It runs a full cycle every
// allocation interval and, at once, a cycle over just the agents an event asked for (coalescing
// requests that arrive while a step runs), rescinds timed-out offers and publishes through a
// port it declares. Mesos `generateOffers` batching: allocationCandidates, one pending run.
import type { Clock } from '../../core/util/clock.ts';
import type { AllocatorConfig } from './config.ts';
import type { CycleResult } from './cycle.ts';
import { runCycle } from './cycle.ts';
import type { OfferDecision, RescindDecision } from './decisions.ts';
import type { AllocatorModel } from './model/model.ts';
import type { QuotaRoleStatus } from './quota-status.ts';
import { quotaStatus, sameStatus } from './quota-status.ts';
import type { Random } from './random.ts';

/** AllocatorPublisher is where decisions go: the API adapter, or a fake in tests. */
export interface AllocatorPublisher {
  /** publishOffers creates offers; it returns the ids it could not create. */
  publishOffers(
    decisions: readonly OfferDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]>;
  /**
   * rescindOffers withdraws offers. It returns the ids it did not delete: answered meanwhile, or
   * already deleted by someone else. Those stay counted until their deletion is observed, which
   * returns them with the answer's filter (see the API adapter).
   */
  rescindOffers(
    rescinds: readonly RescindDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]>;
  /** writeQuotaStatus records the figures of the quota roles whose figures changed. */
  writeQuotaStatus(statuses: readonly QuotaRoleStatus[], signal: AbortSignal): Promise<void>;
}

/** LoopLogger is the slice of a pino logger the loop uses. */
export interface LoopLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * LoopMetrics is what the loop reports (the Prometheus side is wired by main.ts); `startCycle`
 * is called as a cycle's computation starts and the function it returns as it ends.
 */
export interface LoopMetrics {
  startCycle(): () => void;
  /** published counts Offers created; rescinded counts Offers deleted by the allocator. */
  published(n: number): void;
  rescinded(n: number): void;
}

/** LoopOptions wire a loop. */
export interface LoopOptions {
  readonly model: AllocatorModel;
  readonly config: AllocatorConfig;
  readonly clock: Clock;
  readonly publisher: AllocatorPublisher;
  readonly random?: Random;
  readonly logger?: LoopLogger;
  readonly metrics?: LoopMetrics;
}

/** StepReport says what one step did. */
export interface StepReport {
  readonly cycle: 'full' | 'agents' | 'none';
  readonly offered: number;
  readonly rescinded: number;
  readonly failed: number;
}

/** AllocatorLoop drives the cycle. Event handlers call `requestAll`/`requestAgents`. */
export class AllocatorLoop {
  readonly #o: LoopOptions;
  readonly #random: Random;
  #pending: Set<string> | 'all' | undefined = 'all';
  #nextBatchAt: number;
  #wake: (() => void) | undefined;
  #queued: RescindDecision[] = [];
  readonly #lastQuota = new Map<string, QuotaRoleStatus>();

  constructor(options: LoopOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
    this.#nextBatchAt = options.clock.now();
  }

  /** requestAll asks for a cycle over every agent (a framework arrived, reactivated, revived). */
  requestAll(): void {
    this.#pending = 'all';
    this.#wake?.();
  }

  /** requestAgents asks for a cycle over some agents (added, grew, resources came back). */
  requestAgents(ids: Iterable<string>): void {
    if (this.#pending !== 'all') {
      this.#pending ??= new Set();
      for (const id of ids) this.#pending.add(id);
    }
    this.#wake?.();
  }

  /** rescind queues offers the model no longer counts (agent or framework gone) for deletion. */
  rescind(decisions: readonly RescindDecision[]): void {
    this.#queued.push(...decisions);
    if (decisions.length > 0) this.#wake?.();
  }

  /** step does one round of work now: rescinds, at most one cycle, publishing. */
  async step(signal: AbortSignal): Promise<StepReport> {
    const { model, config, clock } = this.#o;
    const now = clock.now();
    // 1. Time: accepted offers past their launch window come back; unanswered ones time out.
    const settled = model.settle(now);
    if (settled.length > 0) this.requestAgents(settled.map(o => o.agent));
    const rescinded = await this.#rescind(now, signal);
    this.#o.metrics?.rescinded(rescinded);
    // 2. What to run: everything when the batch is due or asked for, else the agents asked for.
    const pending = this.#pending;
    const due = pending === 'all' || now >= this.#nextBatchAt;
    const candidates = pending === 'all' || due ? undefined : pending;
    if (!due && candidates === undefined)
      return { cycle: 'none', offered: 0, rescinded, failed: 0 };
    this.#pending = undefined;
    if (due) this.#nextBatchAt = now + config.allocationIntervalMs;
    // 3. The cycle itself: synchronous, over the in-memory model.
    const cycleDone = this.#o.metrics?.startCycle();
    const result = runCycle(model, { now, config, random: this.#random, candidates });
    cycleDone?.();
    // 4. Publish; what could not be published goes back with no filter and is tried again.
    const failed = await this.#publish(result, now, signal);
    this.#o.metrics?.published(result.decisions.length - failed);
    // 5. Quota status, when a figure changed.
    await this.#writeQuota(signal);
    return {
      cycle: due ? 'full' : 'agents',
      offered: result.decisions.length - failed,
      rescinded,
      failed,
    };
  }

  async #rescind(now: number, signal: AbortSignal): Promise<number> {
    const { model, publisher, logger } = this.#o;
    const expired = model.expiredOffers(now).map((o): RescindDecision => ({
      offerId: o.id,
      framework: o.framework,
      agent: o.agent,
      reason: 'timeout',
    }));
    const all = [...this.#queued, ...expired];
    if (all.length === 0) return 0;
    let answered: ReadonlySet<string>;
    try {
      answered = new Set(await publisher.rescindOffers(all, signal));
    } catch (err) {
      logger?.warn({ err, offers: all.length }, 'rescinding offers failed; retrying next step');
      return 0;
    }
    this.#queued = [];
    for (const r of expired) {
      if (answered.has(r.offerId)) {
        model.markAnswered(r.offerId);
      } else if (model.recoverOffer(r.offerId, { now }) !== undefined) {
        this.requestAgents([r.agent]);
      }
    }
    return all.length - answered.size;
  }

  async #publish(result: CycleResult, now: number, signal: AbortSignal): Promise<number> {
    const { model, publisher, logger } = this.#o;
    if (result.decisions.length === 0) return 0;
    let failed: readonly string[];
    try {
      failed = await publisher.publishOffers(result.decisions, signal);
    } catch (err) {
      logger?.warn({ err, offers: result.decisions.length }, 'publishing offers failed');
      failed = result.decisions.map(d => d.offerId);
    }
    // A failed create may still have happened: withdraw it, which is harmless if it did not.
    const lost = new Set(failed);
    for (const d of result.decisions) {
      if (!lost.has(d.offerId)) continue;
      model.recoverOffer(d.offerId, { now });
      this.#queued.push({
        offerId: d.offerId,
        framework: d.framework,
        agent: d.agent,
        reason: 'publish-failed',
      });
    }
    logger?.info(
      {
        offers: result.decisions.length - failed.length,
        failed: failed.length,
        agents: result.agents,
      },
      'allocation cycle',
    );
    return failed.length;
  }

  async #writeQuota(signal: AbortSignal): Promise<void> {
    const changed = quotaStatus(this.#o.model).filter(s => {
      const last = this.#lastQuota.get(s.role);
      return last === undefined || !sameStatus(last, s);
    });
    if (changed.length === 0) return;
    try {
      await this.#o.publisher.writeQuotaStatus(changed, signal);
      for (const s of changed) this.#lastQuota.set(s.role, s);
    } catch (err) {
      this.#o.logger?.warn({ err }, 'writing quota status failed; retrying next step');
    }
  }

  /** run steps until `signal` aborts, sleeping until the next batch or an event's request. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.step(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.#o.logger?.warn({ err }, 'allocation step failed');
      }
      await this.#idle(signal);
    }
  }

  async #idle(signal: AbortSignal): Promise<void> {
    if (this.#pending !== undefined || this.#queued.length > 0 || signal.aborted) return;
    const now = this.#o.clock.now();
    let deadline = this.#nextBatchAt;
    for (const o of this.#o.model.settling)
      deadline = Math.min(deadline, o.settling?.until ?? deadline);
    // Wake for the earliest offer timeout too, so offers are rescinded on time.
    for (const o of this.#o.model.offers.values()) {
      if (o.expiresAt !== undefined && !o.answered) deadline = Math.min(deadline, o.expiresAt);
    }
    if (deadline <= now) return;
    const wake = new AbortController();
    const stop = (): void => wake.abort();
    signal.addEventListener('abort', stop, { once: true });
    this.#wake = stop;
    try {
      await this.#o.clock.sleep(deadline - now, wake.signal);
    } catch {
      // Woken early by a request or by the caller's abort: either way, go round again.
    } finally {
      this.#wake = undefined;
      signal.removeEventListener('abort', stop);
    }
  }
}
