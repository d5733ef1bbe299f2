import type { Logger } from 'pino';
import type { CallOptions, Lease, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict, isAlreadyExists, isNotFound } from '../../core/client/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import { asError } from './errors.ts';
import { holderOf, releasedSpec, renewedSpec } from './lease-record.ts';
import { pause, withDeadline } from './timing.ts';

/** LeaseStore is what leader election needs of the API; `client.for(builtinKinds.leases)` is one. */
export interface LeaseStore {
  get(key: ObjectKey, opts: CallOptions): Promise<Lease>;
  create(lease: Lease, opts: WriteOptions): Promise<Lease>;
  update(lease: Lease, opts: WriteOptions): Promise<Lease>;
}

/** LeaderElectionConfig names the lease and sets client-go's three durations. */
export interface LeaderElectionConfig {
  readonly leases: LeaseStore;
  readonly namespace: string;
  readonly name: string;
  /** identity is unique per candidate process (host name plus something random). */
  readonly identity: string;
  /** leaseDurationMs: how long others wait after the last renewal they saw; 15 s by default. */
  readonly leaseDurationMs?: number;
  /** renewDeadlineMs: how long the leader keeps failing to renew before it steps down; 2/3 of the lease by default. */
  readonly renewDeadlineMs?: number;
  /** retryPeriodMs: the pause between attempts to acquire or renew; 2 s by default. */
  readonly retryPeriodMs?: number;
}

/** LeaderElectorOptions add the clock, the logger and the callbacks of one candidate. */
export interface LeaderElectorOptions extends LeaderElectionConfig {
  readonly clock: Clock;
  readonly logger: Logger;
  /** onStartedLeading runs the leader's work; it must resolve once `signal` aborts and the work has stopped. */
  onStartedLeading(signal: AbortSignal): Promise<void>;
  onStoppedLeading?(): void;
  /** onNewLeader is told each time a different holder is seen (including this candidate). */
  onNewLeader?(identity: string): void;
  /** random is injected for tests (acquire jitter). */
  readonly random?: () => number;
}

/**
 * LeaderElector is client-go's leader election over a coordination.k8s.io/v1 Lease. A candidate
 * takes the lease when nobody holds it, or when the holder's record has not changed for
 * leaseDuration by this candidate's clock (time since it last saw the record change, as in
 * client-go, so clock skew between hosts does not matter). Every write is a compare-and-swap on
 * the lease's resourceVersion, so two candidates never both lead. The leader renews every
 * retryPeriod; if it cannot for renewDeadline (< leaseDuration) it stops its work before anyone
 * else may take over. On abort it stops its work and then releases the lease (clears the holder).
 */
export class LeaderElector {
  private readonly o: LeaderElectorOptions;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly deadlineMs: number;
  private readonly retryMs: number;
  private readonly key: ObjectKey;
  private observed: Lease | undefined;
  private observedAt = 0;
  /** heldSince is when the last successful attempt started: the conservative renewal time. */
  private heldSince = 0;
  private leading = false;

  constructor(opts: LeaderElectorOptions) {
    this.o = opts;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.deadlineMs = opts.renewDeadlineMs ?? Math.round((this.leaseMs * 2) / 3);
    this.retryMs = opts.retryPeriodMs ?? 2_000;
    if (!(this.leaseMs > this.deadlineMs && this.deadlineMs > this.retryMs && this.retryMs > 0))
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod > 0');
    if (this.leaseMs % 1000 !== 0) throw new RangeError('leaseDurationMs must be whole seconds');
    this.key = { namespace: opts.namespace, name: opts.name };
    this.log = opts.logger.child({
      lease: `${opts.namespace}/${opts.name}`,
      identity: opts.identity,
    });
  }

  /** isLeader is true while this candidate holds the lease and its work runs. */
  isLeader(): boolean {
    return this.leading;
  }

  /** leader is the holder this candidate last saw ('' when none). */
  leader(): string {
    return holderOf(this.observed?.spec);
  }

  /**
   * run is one term: wait to acquire, lead until the lease is lost or `signal` aborts, stop the
   * work, release the lease if still held. It resolves after onStoppedLeading (or at once if
   * aborted before acquiring); it rejects only if the leader's work failed.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const work = new AbortController();
    const workFailed = new AbortController();
    this.leading = true;
    this.log.info('became leader');
    let failure: unknown;
    // work that just finishes does not end the term (a leader with nothing to run still leads);
    // work that fails does, so the lease is released for a healthier candidate
    const running = this.o.onStartedLeading(work.signal).catch((err: unknown) => {
      failure = err;
      workFailed.abort();
    });
    const lost = await this.renewUntilDone(AbortSignal.any([signal, workFailed.signal]));
    work.abort();
    await running;
    this.leading = false;
    if (!lost) await this.release();
    this.log.info({ lost, failed: failure !== undefined }, 'stopped leading');
    this.o.onStoppedLeading?.();
    if (failure !== undefined) throw asError(failure);
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    const random = this.o.random ?? Math.random;
    while (!signal.aborted) {
      if (await this.attempt(signal)) return true;
      // client-go's JitterUntil(retryPeriod, 1.2): candidates do not retry in lockstep
      await pause(this.o.clock, this.retryMs * (1 + 1.2 * random()), signal);
    }
    return false;
  }

  /** renewUntilDone renews until `stop` aborts (false) or the lease is lost (true). */
  private async renewUntilDone(stop: AbortSignal): Promise<boolean> {
    const { clock } = this.o;
    let renewedAt = this.heldSince;
    for (;;) {
      await pause(clock, this.retryMs, stop);
      if (stop.aborted) return false;
      const left = renewedAt + this.deadlineMs - clock.now();
      const ok =
        left > 0 && (await withDeadline({ clock, ms: left, parent: stop }, s => this.attempt(s)));
      if (stop.aborted) return false;
      if (ok) renewedAt = this.heldSince;
      else if (clock.now() - renewedAt >= this.deadlineMs) {
        this.log.warn(
          { renewDeadlineMs: this.deadlineMs },
          'failed to renew lease in time; stepping down',
        );
        return true;
      }
    }
  }

  /** attempt is client-go's tryAcquireOrRenew: true if this candidate holds the lease now. */
  private async attempt(signal: AbortSignal): Promise<boolean> {
    const { clock, leases, identity } = this.o;
    const now = clock.now();
    const seconds = this.leaseMs / 1000;
    try {
      let lease: Lease;
      try {
        lease = await leases.get(this.key, { signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const fresh: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { ...this.key },
          spec: renewedSpec(undefined, identity, now, seconds),
        };
        this.observe(await leases.create(fresh, { signal }), now);
        this.heldSince = now;
        return true;
      }
      this.observe(lease, now);
      const holder = holderOf(lease.spec);
      const ttlMs = (lease.spec?.leaseDurationSeconds ?? seconds) * 1000;
      if (holder !== '' && holder !== identity && this.observedAt + ttlMs > now) return false;
      const next = { ...lease, spec: renewedSpec(lease.spec, identity, now, seconds) };
      this.observe(await leases.update(next, { signal }), now);
      this.heldSince = now;
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      // losing a race (Conflict, AlreadyExists) is routine; anything else is worth a warning
      if (isConflict(err) || isAlreadyExists(err)) this.log.debug({ err }, 'lost a lease race');
      else this.log.warn({ err }, 'lease attempt failed');
      return false;
    }
  }

  /** observe records a lease read or written; the observation time moves only when it changed. */
  private observe(lease: Lease, now: number): void {
    const before = this.observed;
    if (before?.metadata.resourceVersion !== lease.metadata.resourceVersion) this.observedAt = now;
    this.observed = lease;
    const holder = holderOf(lease.spec);
    if (holder !== '' && holder !== holderOf(before?.spec)) {
      this.log.info({ leader: holder }, 'new leader observed');
      this.o.onNewLeader?.(holder);
    }
  }

  private async release(): Promise<void> {
    const held = this.observed;
    if (held === undefined || holderOf(held.spec) !== this.o.identity) return;
    const { clock } = this.o;
    const released = { ...held, spec: releasedSpec(held.spec, clock.now()) };
    // the run's signal is already aborted; give the release its own short deadline
    const limit = { clock, ms: this.deadlineMs, parent: new AbortController().signal };
    const ok = await withDeadline(limit, async s => {
      try {
        this.observe(await this.o.leases.update(released, { signal: s }), clock.now());
        return true;
      } catch (err) {
        this.log.warn({ err }, 'could not release the lease; others take over when it expires');
        return false;
      }
    });
    if (ok) this.log.info('released the lease');
  }
}
