import type { Logger } from 'pino';
import type { Client, Kind, Selectors, SharedInformer } from '../../core/client/index.ts';
import { makeSharedInformer, WITHOUT_MANAGED_FIELDS } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { LeaderElectionConfig } from './leader-election.ts';
import { LeaderElector } from './leader-election.ts';
import { asError } from './errors.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { Runnable } from './runnable.ts';

/** ManagerOptions: the clock and logger shared by all parts, the client informers list and watch with, and leader election (absent: always lead). */
export interface ManagerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly client?: Client;
  readonly leaderElection?: LeaderElectionConfig;
  /** metrics is handed to each runnable that takes it (Controllers); absent: nothing recorded. */
  readonly metrics?: RuntimeMetrics;
}

/**
 * ManagerStatus is where a manager is in its life, for health checks: `failed` stays once a
 * component failed (through the teardown and after), `stopping` covers an asked-for stop.
 */
export type ManagerStatus =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running' }
  | { readonly phase: 'stopping' }
  | { readonly phase: 'stopped' }
  | { readonly phase: 'failed'; readonly component: string; readonly error: Error };

/**
 * Manager runs a process's controllers: (1) it starts the shared informers and waits until all
 * have synced, (2) starts the runnables that need no leader, (3) campaigns for the lease and,
 * each time it leads, starts the leader runnables with a signal that aborts when it stops
 * leading (then it campaigns again). Informers keep running while not leading, so a new leader
 * starts warm. When its signal aborts it stops everything and resolves; when a runnable or an
 * informer fails it stops everything and rejects with that error.
 */
export class Manager {
  private readonly opts: ManagerOptions;
  private readonly log: Logger;
  private readonly runnables: Runnable[] = [];
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly tasks: Promise<void>[] = [];
  private readonly failed = new AbortController();
  private firstError: unknown;
  private running: AbortSignal | undefined;
  private stopped = false;
  private failedComponent = '';
  private elector: LeaderElector | undefined;

  constructor(opts: ManagerOptions) {
    this.opts = opts;
    this.log = opts.logger.child({ component: 'manager' });
  }

  /** add registers a runnable (a Controller, the allocator loop); call it before start. */
  add(r: Runnable): this {
    if (this.running !== undefined) throw new Error(`add ${r.name}: the manager already started`);
    this.runnables.push(r);
    if (this.opts.metrics !== undefined) r.instrument?.(this.opts.metrics);
    return this;
  }

  /** informer returns the shared informer of a kind (one per kind and selectors), creating it on first use. */
  informer<T extends KubeObject>(kind: Kind<T>, selectors: Selectors = {}): SharedInformer<T> {
    const { namespace = '', labelSelector = '', fieldSelector = '' } = selectors;
    const id = JSON.stringify([kind.group, kind.plural, namespace, labelSelector, fieldSelector]);
    const existing = this.informers.get(id);
    if (existing !== undefined) return existing as unknown as SharedInformer<T>;
    const { client, clock, logger } = this.opts;
    if (client === undefined) throw new Error('the manager was built without a client');
    // no controller reads managedFields: the caches go without them (WITHOUT_MANAGED_FIELDS)
    const inf = makeSharedInformer(client.for(kind), {
      ...selectors,
      clock,
      logger,
      ...WITHOUT_MANAGED_FIELDS,
    });
    this.informers.set(id, inf);
    // an informer asked for after start (by a runnable) starts at once
    if (this.running !== undefined) this.track(`informer ${kind.plural}`, inf.run(this.running));
    return inf;
  }

  /** isLeader is true while this process leads (always, without leader election, once started). */
  isLeader(): boolean {
    if (this.running === undefined) return false;
    return this.elector === undefined || this.elector.isLeader();
  }

  /** status is the manager's phase, read by the health endpoint. */
  status(): ManagerStatus {
    if (this.firstError !== undefined)
      return { phase: 'failed', component: this.failedComponent, error: asError(this.firstError) };
    if (this.running === undefined) return { phase: 'idle' };
    if (this.stopped) return { phase: 'stopped' };
    return this.running.aborted ? { phase: 'stopping' } : { phase: 'running' };
  }

  /** unsynced names the informers whose first list is not in the cache yet (all, before start). */
  unsynced(): readonly string[] {
    const out: string[] = [];
    for (const inf of this.informers.values()) {
      if (this.running === undefined || !inf.hasSynced()) out.push(inf.kind.plural);
    }
    return out;
  }

  /** start runs everything until `signal` aborts (resolves) or something fails (rejects). */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running !== undefined) throw new Error('the manager already started');
    const all = AbortSignal.any([signal, this.failed.signal]);
    this.running = all;
    for (const [id, inf] of this.informers) this.track(`informer ${id}`, inf.run(all));
    const synced = await Promise.all(
      [...this.informers.values()].map(i => i.waitForSync(all)),
    ).then(
      () => true,
      () => false,
    );
    if (synced) {
      this.log.info({ informers: this.informers.size }, 'caches synced');
      for (const r of this.runnables.filter(r => r.needsLeaderElection === false))
        this.track(r.name, r.start(all));
      const leaders = this.runnables.filter(r => r.needsLeaderElection !== false);
      this.track('leader runnables', this.lead(leaders, all));
    }
    // runnables may add informers while running, so wait until no new task appeared
    for (let n = -1; n !== this.tasks.length;) {
      n = this.tasks.length;
      await Promise.all(this.tasks);
    }
    this.stopped = true;
    this.log.info('manager stopped');
    if (this.firstError !== undefined) throw asError(this.firstError);
  }

  private async lead(leaders: readonly Runnable[], signal: AbortSignal): Promise<void> {
    const config = this.opts.leaderElection;
    if (config === undefined) {
      await this.startAll(leaders, signal);
      return;
    }
    const { clock, logger } = this.opts;
    while (!signal.aborted) {
      this.elector = new LeaderElector({
        ...config,
        clock,
        logger,
        onStartedLeading: s => this.startAll(leaders, s),
      });
      await this.elector.run(signal);
    }
  }

  /** startAll runs runnables until `signal` aborts; the first failure stops the manager. */
  private async startAll(rs: readonly Runnable[], signal: AbortSignal): Promise<void> {
    await Promise.all(rs.map(r => r.start(signal).catch((err: unknown) => this.fail(r.name, err))));
  }

  private track(name: string, p: Promise<void>): void {
    this.tasks.push(p.catch((err: unknown) => this.fail(name, err)));
  }

  private fail(name: string, err: unknown): void {
    // once stopping (asked to, or after a first failure) errors of parts being torn down are noise
    if (this.running?.aborted === true) return;
    this.log.error({ err, component: name }, 'component failed; stopping the manager');
    if (this.firstError === undefined) this.failedComponent = name;
    this.firstError ??= err;
    this.failed.abort(err);
  }
}
