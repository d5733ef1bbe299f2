// The framework controller (mesos-features §5.5, framework failover): Mesos notices a scheduler's
// connection drop and starts its failover timeout; here a framework renews its Lease (the SDK
// does, every few seconds) and this controller notices the renewals stopping:
//   1. the Lease is stale beyond the timeout while Active is not False: Active=False
//      (HeartbeatExpired) from now, which stops its offers and starts the failover timeout
//      (controllers/tasks/framework-loss.ts); the stale reading is confirmed with a live read of
//      the Lease first, since a lagging cache must not disconnect a live framework;
//   2. the Lease is renewed again after this controller set Active=False: Active=True
//      (HeartbeatResumed), and its tasks stay (a framework that reconnects through the SDK sets
//      Active=True itself);
//   3. a framework without a Lease (it does not use the SDK) is left to keep Active itself, and an
//      Active=False the framework wrote (it stopped) is its own.
import type { Logger } from 'pino';
import type {
  CallOptions,
  Lease,
  ObjectKey,
  ReadonlyCache,
  WriteOptions,
} from '../../core/client/index.ts';
import { isNotFound } from '../../core/client/index.ts';
import {
  ACTIVE_CONDITION,
  ACTIVE_REASONS,
  frameworkLeaseName,
} from '../../core/framework/index.ts';
import type { Framework } from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ConditionInput } from '../agents/conditions.ts';
import { findCondition, isoTime, setCondition } from '../agents/conditions.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import type { Verdict } from './liveness.ts';
import { judgeLiveness } from './liveness.ts';

/** FrameworkStatusApi writes a Framework's status: the typed client fits. */
export interface FrameworkStatusApi {
  updateStatus(obj: Framework, opts?: WriteOptions): Promise<Framework>;
}

/** LeaseReadApi reads a Lease from the API: the typed client fits. */
export interface LeaseReadApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Lease>;
}

/** FrameworkLivenessOptions wire the reconciler. */
export interface FrameworkLivenessOptions {
  readonly frameworks: ReadonlyCache<Framework>;
  readonly leases: ReadonlyCache<Lease>;
  readonly api: FrameworkStatusApi;
  readonly leaseApi: LeaseReadApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** timeoutMs: how long without a renewal makes a framework inactive (30 s by default). */
  readonly timeoutMs: number;
}

const FIELD_MANAGER = 'corral-framework-controller';

/** FrameworkLivenessReconciler keeps one Framework's Active condition true to its Lease. */
export class FrameworkLivenessReconciler implements Reconciler {
  readonly #o: FrameworkLivenessOptions;

  constructor(options: FrameworkLivenessOptions) {
    this.#o = options;
  }

  /** reconcile marks the framework (in)active and asks to look again when its Lease expires. */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const fw = this.#o.frameworks.get(req);
    if (fw === undefined || fw.metadata.deletionTimestamp !== undefined) return done;
    const key = { namespace: req.namespace, name: frameworkLeaseName(req.name) };
    const verdict = this.#judge(fw, this.#o.leases.get(key));
    switch (verdict.kind) {
      case 'unwatched':
        return done;
      case 'alive':
        return this.#alive(fw, verdict, signal);
      case 'stale':
        return this.#stale(fw, key, signal);
      default:
        return assertNever(verdict, 'liveness verdict');
    }
  }

  #judge(fw: Framework, lease: Lease | undefined): Verdict {
    const active = findCondition(fw.status?.conditions, ACTIVE_CONDITION);
    return judgeLiveness({ lease, active, now: this.#o.clock.now(), timeoutMs: this.#o.timeoutMs });
  }

  async #alive(
    fw: Framework,
    v: Extract<Verdict, { kind: 'alive' }>,
    signal: AbortSignal,
  ): Promise<Result> {
    const active = findCondition(fw.status?.conditions, ACTIVE_CONDITION);
    const expiredAt = Date.parse(active?.lastTransitionTime ?? '');
    const resumed =
      active?.status === 'False' &&
      active.reason === ACTIVE_REASONS.heartbeatExpired &&
      v.renewed !== undefined &&
      v.renewed > expiredAt;
    if (resumed) {
      const message = `the framework renewed its Lease again at ${isoTime(v.renewed)}`;
      await this.#set(
        fw,
        { status: 'True', reason: ACTIVE_REASONS.heartbeatResumed, message },
        signal,
      );
    }
    // Nothing changes until the Lease expires, unless a renewal (an event) comes first.
    return { requeueAfterMs: v.staleAt - this.#o.clock.now() + 1 };
  }

  async #stale(fw: Framework, key: ObjectKey, signal: AbortSignal): Promise<Result> {
    const active = findCondition(fw.status?.conditions, ACTIVE_CONDITION);
    if (active?.status === 'False') return done;
    let lease: Lease | undefined;
    try {
      lease = await this.#o.leaseApi.get(key, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const confirmed = this.#judge(fw, lease);
    if (confirmed.kind === 'alive') return this.#alive(fw, confirmed, signal);
    if (confirmed.kind === 'unwatched') return done;
    const since = confirmed.lastSign === undefined ? 'ever' : isoTime(confirmed.lastSign);
    const timeout = fw.spec.failoverTimeoutSeconds ?? 0;
    const message =
      `no renewal of Lease ${key.namespace ?? ''}/${key.name} since ${since} ` +
      `(timeout ${this.#o.timeoutMs / 1000} s); the failover timeout (${timeout} s) runs from now`;
    await this.#set(
      fw,
      { status: 'False', reason: ACTIVE_REASONS.heartbeatExpired, message },
      signal,
    );
    return done;
  }

  async #set(
    fw: Framework,
    condition: Omit<ConditionInput, 'type'>,
    signal: AbortSignal,
  ): Promise<void> {
    const now = isoTime(this.#o.clock.now());
    const conditions = setCondition(
      fw.status?.conditions,
      { type: ACTIVE_CONDITION, ...condition },
      now,
    );
    const next: Framework = { ...structuredClone(fw), status: { ...fw.status, conditions } };
    await this.#o.api.updateStatus(next, { signal, fieldManager: FIELD_MANAGER });
    this.#o.logger.info(
      {
        framework: `${fw.metadata.namespace ?? ''}/${fw.metadata.name ?? ''}`,
        active: condition.status,
        reason: condition.reason,
      },
      'framework liveness changed',
    );
  }
}
