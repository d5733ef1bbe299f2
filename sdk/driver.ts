// FrameworkDriver: what a framework does to the cluster (Mesos's SchedulerDriver calls) on top of
// the Framework record, its informers and the typed client. `connect` (connect.ts) wires a real
// one; tests wire one over fakes.
import type { Logger } from 'pino';
import { pino } from 'pino';
import { isNotFound } from '../core/client/index.ts';
import {
  DEFAULT_FRAMEWORK_TIMEOUT_MS,
  FEEDBACK_SELECTOR,
  hasFeedback,
} from '../core/framework/index.ts';
import type {
  Filters,
  Framework,
  Offer,
  OfferOperation,
  Operation,
  Task,
} from '../core/types/index.ts';
import type { Clock } from '../core/util/clock.ts';
import { acknowledgeOperation } from './acknowledge.ts';
import { acceptResponse, declineAll, declineResponse, writeAnswer } from './answer.ts';
import { Dispatcher } from './dispatch.ts';
import { FrameworkFailedOver } from './errors.ts';
import { EventQueue } from './event-queue.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, Heartbeat } from './heartbeat.ts';
import type { DriverApis, DriverSources } from './ports.ts';
import type { Registration } from './registration.ts';
import { setActive } from './registration.ts';
import type { Scheduler } from './scheduler.ts';
import { patchFramework, revivePatch, suppressPatch } from './suppression.ts';

/** DriverOptions wire a driver. */
export interface DriverOptions {
  readonly apis: DriverApis;
  readonly sources: DriverSources;
  readonly namespace: string;
  readonly name: string;
  readonly scheduler?: Scheduler;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** implicitAcknowledgements (default true) acknowledges operations after onOperationStatus. */
  readonly implicitAcknowledgements?: boolean;
  /** release stops what the driver runs on (informers, connections); called once by stop. */
  readonly release?: () => Promise<void>;
  /** framework is the Framework as registered (its uid owns the Lease). */
  readonly framework?: Framework;
  /** heartbeat renews the framework's Lease while the driver runs; needs `apis.leases`. */
  readonly heartbeat?: HeartbeatConfig;
}

/** HeartbeatConfig says who this run is and how often it renews its Lease. */
export interface HeartbeatConfig {
  /** identity names this run of the framework (the Lease's holder); unique per run. */
  readonly identity: string;
  /** intervalMs between renewals; 5 s by default. */
  readonly intervalMs?: number;
}

/** Reconciliation is the framework's state as the API holds it now. */
export interface Reconciliation {
  readonly tasks: Task[];
  readonly operations: Operation[];
}

/** StopOptions choose how a driver stops. */
export interface StopOptions {
  /**
   * deactivate (default true) marks the Framework not Active: no more offers, and its tasks are
   * killed once its failover timeout passes unless a new run re-registers first (Mesos failover).
   */
  readonly deactivate?: boolean;
}

/** TeardownOptions choose what a teardown removes besides the Framework. */
export interface TeardownOptions {
  /** killTasks (default true) deletes every Task of the framework: running ones are killed. */
  readonly killTasks?: boolean;
}

/** FrameworkDriver is a registered framework: answer offers, follow tasks, stop. */
export class FrameworkDriver {
  readonly namespace: string;
  readonly name: string;
  /** done resolves once the driver stopped. */
  readonly done: Promise<void>;
  readonly #o: DriverOptions;
  readonly #queue: EventQueue;
  readonly #dispatcher: Dispatcher;
  readonly #logger: Logger;
  #framework: Framework | undefined;
  readonly #heartbeat: Heartbeat | undefined;
  readonly #beating = new AbortController();
  #beats: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #resolveDone: () => void = () => undefined;
  #revives = 0;

  constructor(options: DriverOptions) {
    this.#o = options;
    this.namespace = options.namespace;
    this.name = options.name;
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.done = new Promise(resolve => {
      this.#resolveDone = resolve;
    });
    this.#framework = options.framework;
    const leases = options.apis.leases;
    this.#heartbeat =
      leases === undefined || options.heartbeat === undefined
        ? undefined
        : new Heartbeat({
            api: leases,
            namespace: options.namespace,
            framework: () => this.#framework,
            identity: options.heartbeat.identity,
            clock: options.clock,
            intervalMs: options.heartbeat.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
            leaseDurationSeconds: DEFAULT_FRAMEWORK_TIMEOUT_MS / 1000,
          });
    this.#queue = new EventQueue(e => this.#report(e));
    this.#dispatcher = new Dispatcher({
      sources: options.sources,
      queue: this.#queue,
      scheduler: options.scheduler ?? {},
      driver: this,
      implicitAcknowledgements: options.implicitAcknowledgements ?? true,
      acknowledge: op => this.acknowledge(op),
    });
  }

  /**
   * start delivers onRegistered, then the informers' contents and changes, and renews the
   * framework's Lease until stopped.
   */
  start(registration: Registration): void {
    this.#framework ??= registration.framework;
    const scheduler = this.#o.scheduler ?? {};
    this.#queue.push(() => scheduler.onRegistered?.(registration, this));
    this.#dispatcher.start();
    if (this.#heartbeat !== undefined) this.#beats ??= this.#keepAlive(this.#heartbeat);
  }

  // #keepAlive renews the Lease until the driver stops; a newer run holding it stops this one
  // without touching what is now the newer run's (Active, offers).
  async #keepAlive(heartbeat: Heartbeat): Promise<void> {
    const end = await heartbeat.run(this.#beating.signal, this.#logger);
    if (end === 'lost') {
      this.#report(new FrameworkFailedOver(this.namespace, this.name));
      void this.stop({ deactivate: false });
    }
  }

  /** framework is the Framework record as last written by this driver. */
  get framework(): Framework | undefined {
    return this.#framework;
  }

  /** stopped tells whether stop or teardown was called. */
  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  /**
   * accept answers `offer` with `operations`, run in order; what they leave goes back under
   * `filters`. Throws OfferRescinded when the offer is gone or changed since it was delivered.
   */
  async accept(
    offer: Offer,
    operations: readonly OfferOperation[],
    filters?: Filters,
  ): Promise<void> {
    await writeAnswer(this.#o.apis.offers, offer, acceptResponse(operations, filters));
    this.#dispatcher.markAnswered(offer);
  }

  /** decline returns the whole offer under `filters` (absent: 5 s). Throws OfferRescinded. */
  async decline(offer: Offer, filters?: Filters): Promise<void> {
    await writeAnswer(this.#o.apis.offers, offer, declineResponse(filters));
    this.#dispatcher.markAnswered(offer);
  }

  /**
   * idle resolves once every event seen so far has been handled (offer batches are formed a
   * microtask after their informer events). Never await it from a handler: it waits for itself.
   */
  async idle(): Promise<void> {
    await Promise.resolve();
    await this.#queue.idle();
  }

  /** outstandingOffers lists the delivered offers not answered yet. */
  outstandingOffers(): Offer[] {
    return this.#dispatcher.outstanding();
  }

  /** tasks lists the framework's Tasks as the informer holds them now. */
  tasks(): Task[] {
    return this.#o.sources.tasks.list().filter(t => t.spec.framework === this.name);
  }

  /**
   * operations lists the framework's Operations (its feedback: those it gave an id) as the
   * informer holds them now.
   */
  operations(): Operation[] {
    return this.#o.sources.operations
      .list()
      .filter(o => o.spec.framework === this.name && hasFeedback(o));
  }

  /**
   * reconcile reads the framework's Tasks and Operations from the API (Mesos implicit
   * reconciliation: listing is the answer), fresher than the informers. Operations accepted
   * without an id are left out: Mesos gives no feedback on them.
   */
  async reconcile(): Promise<Reconciliation> {
    const selector = { namespace: this.namespace, fieldSelector: `spec.framework=${this.name}` };
    const [tasks, operations] = await Promise.all([
      this.#o.apis.tasks.list(selector),
      this.#o.apis.operations.list({ ...selector, labelSelector: FEEDBACK_SELECTOR }),
    ]);
    return { tasks: tasks.items, operations: operations.items.filter(hasFeedback) };
  }

  /**
   * kill deletes the Task (Mesos KILL): the agent kills it and reports TASK_KILLED before the
   * record goes. Given a Task, only that incarnation is deleted. False when it was already gone.
   */
  async kill(task: Task | string): Promise<boolean> {
    const name = typeof task === 'string' ? task : (task.metadata.name ?? '');
    const uid = typeof task === 'string' ? undefined : task.metadata.uid;
    try {
      await this.#o.apis.tasks.delete(
        { namespace: this.namespace, name },
        uid === undefined ? {} : { preconditions: { uid } },
      );
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /**
   * acknowledge acknowledges an operation's terminal status, so the controller may collect it
   * (Mesos ACKNOWLEDGE_OPERATION_STATUS). False when there is nothing to acknowledge: ERROR and
   * DROPPED (sent without a uuid in Mesos), already acknowledged, or gone. Throws a RangeError
   * for a non-terminal state: acknowledging it would let the record go before the outcome.
   */
  async acknowledge(op: Operation): Promise<boolean> {
    return acknowledgeOperation(this.#o.apis.operations, op);
  }

  /** suppress stops offers for `roles` (none: all roles); outstanding offers stay (Mesos). */
  async suppress(roles?: readonly string[]): Promise<Framework> {
    return this.#patch(fw => suppressPatch(fw, roles));
  }

  /**
   * revive un-suppresses `roles` (none: all) and asks for offers at once; the allocator clears
   * the offer filters of every role left unsuppressed. Revive rarely: it undoes all declines.
   */
  async revive(roles?: readonly string[]): Promise<Framework> {
    const token = `${this.#o.clock.now().toString(36)}-${(++this.#revives).toString(36)}`;
    return this.#patch(fw => revivePatch(fw, roles, token));
  }

  /** annotate sets (or, with null, removes) annotations of the Framework: the framework's notes. */
  async annotate(annotations: Readonly<Record<string, string | null>>): Promise<Framework> {
    // A null removes the key (RFC 7386); MergePatch does not reach into optional maps.
    const map = annotations as Record<string, string>;
    return this.#patch(fw => ({
      metadata: { resourceVersion: fw.metadata.resourceVersion ?? null, annotations: map },
    }));
  }

  async #patch(change: Parameters<typeof patchFramework>[0]['change']): Promise<Framework> {
    const { namespace, name } = this;
    const fw = await patchFramework({ api: this.#o.apis.frameworks, namespace, name, change });
    this.#framework = fw;
    return fw;
  }

  /**
   * stop stops the informers and event delivery (events not delivered yet are dropped) and, by
   * default, marks the Framework inactive and declines (with no filter) the offers it still
   * holds. Safe to call from a handler and more than once.
   */
  stop(o: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#stop(o.deactivate ?? true);
    return this.#stopping;
  }

  async #stop(deactivate: boolean): Promise<void> {
    // the renewals stop first: without them the framework controller marks it inactive too
    this.#beating.abort();
    await this.#beats;
    this.#queue.close();
    this.#dispatcher.stop();
    try {
      if (deactivate) {
        await this.#setActive(false);
        // An inactive framework gets no offers; what it holds goes back with no filter, as
        // Mesos rescinds a deactivated framework's offers.
        const held = this.#o.sources.offers.list().filter(o => o.spec.framework === this.name);
        await declineAll(this.#o.apis.offers, held);
      }
    } catch (e) {
      this.#report(e);
    }
    // Last: release closes the connections the writes above use.
    try {
      await this.#o.release?.();
    } catch (e) {
      this.#report(e);
    } finally {
      this.#resolveDone();
    }
  }

  /**
   * markActive records that the framework is connected (connect does this): it takes the
   * framework's Lease for this run (a failover, when an older run held it), then sets Active.
   */
  async markActive(): Promise<void> {
    await this.#heartbeat?.acquire();
    await this.#setActive(true);
  }

  async #setActive(active: boolean): Promise<void> {
    const { namespace, name } = this;
    const fw = await setActive({
      api: this.#o.apis.frameworks,
      namespace,
      name,
      active,
      clock: this.#o.clock,
    });
    if (fw !== undefined) this.#framework = fw;
  }

  /**
   * teardown removes the framework (Mesos TEARDOWN): deletes its Tasks (unless told not to),
   * then its Framework record, and stops. Reservations and volumes stay, as in Mesos.
   */
  async teardown(o: TeardownOptions = {}): Promise<void> {
    if (o.killTasks ?? true) {
      const { tasks } = await this.reconcile();
      await Promise.all(tasks.map(t => this.kill(t)));
    }
    try {
      await this.#o.apis.frameworks.delete({ namespace: this.namespace, name: this.name });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await this.stop({ deactivate: false });
  }

  #report(error: unknown): void {
    const scheduler = this.#o.scheduler;
    if (scheduler?.onError === undefined) {
      this.#logger.error({ err: error }, 'framework event failed');
      return;
    }
    try {
      scheduler.onError(error, this);
    } catch (e) {
      this.#logger.error({ err: e }, 'onError threw');
    }
  }
}
