// Informer changes → scheduler events: offers batched and delivered once (again only if the
// allocator changed one), rescinds of delivered offers nobody answered, task and operation status
// changes, implicit operation acknowledgements. All delivery goes through one EventQueue.
import type { Offer, Operation, Task } from '../core/types/index.ts';
import type { EventQueue } from './event-queue.ts';
import type { DriverSources } from './ports.ts';
import type { Scheduler } from './scheduler.ts';
import type { FrameworkDriver } from './driver.ts';
import { hasFeedback, needsAcknowledgement } from './states.ts';

/** DispatcherOptions wire a dispatcher. */
export interface DispatcherOptions {
  readonly sources: DriverSources;
  readonly queue: EventQueue;
  readonly scheduler: Scheduler;
  readonly driver: FrameworkDriver;
  /** implicitAcknowledgements acknowledges terminal operation states after onOperationStatus. */
  readonly implicitAcknowledgements: boolean;
  readonly acknowledge: (op: Operation) => Promise<unknown>;
}

const nameOf = (o: { metadata: { name?: string } }): string => o.metadata.name ?? '';

// taskKey changes when what a framework reacts to changes (not on heartbeat-like rewrites).
function taskKey(t: Task): string {
  const s = t.status;
  return JSON.stringify([
    s?.state,
    s?.reason,
    s?.healthy,
    s?.message,
    s?.containerStatus?.exitCode,
  ]);
}

/** Dispatcher turns the framework's informers into Scheduler calls. */
export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #offers = new Map<string, Offer>();
  readonly #delivered = new Map<string, string | undefined>();
  readonly #answered = new Set<string>();
  #pending: string[] = [];
  #flushing = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /** start subscribes to the sources; cached objects are replayed as new. */
  start(): void {
    const { sources } = this.#o;
    this.#unsubscribe.push(
      sources.offers.on({
        add: o => this.#offerSeen(o),
        update: (_old, o) => this.#offerSeen(o),
        delete: o => this.#offerGone(o),
      }),
      sources.tasks.on({
        add: t => this.#taskChanged(undefined, t),
        update: (old, t) => this.#taskChanged(old, t),
        delete: t => this.#emit(d => this.#o.scheduler.onTaskRemoved?.(t, d)),
      }),
      sources.operations.on({
        add: op => this.#operationChanged(undefined, op),
        update: (old, op) => this.#operationChanged(old, op),
      }),
    );
  }

  /** stop unsubscribes. */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  /** markAnswered records an answer the driver wrote: the offer's deletion is no rescind. */
  markAnswered(offer: Offer): void {
    this.#answered.add(nameOf(offer));
  }

  /** outstanding lists the delivered offers still unanswered, as last seen. */
  outstanding(): Offer[] {
    return [...this.#delivered.keys()]
      .filter(n => !this.#answered.has(n))
      .map(n => this.#offers.get(n))
      .filter((o): o is Offer => o !== undefined && o.spec.response === undefined);
  }

  #emit(call: (d: FrameworkDriver) => unknown): void {
    this.#o.queue.push(() => call(this.#o.driver));
  }

  #offerSeen(o: Offer): void {
    const name = nameOf(o);
    this.#offers.set(name, o);
    if (o.spec.response !== undefined) {
      this.#answered.add(name);
      return;
    }
    // Delivered once per resourceVersion: the allocator changing an offer makes it new again,
    // since an answer pinned to the old version would fail.
    if (this.#delivered.has(name) && this.#delivered.get(name) === o.metadata.resourceVersion)
      return;
    this.#pending.push(name);
    if (this.#flushing) return;
    this.#flushing = true;
    // Offers of one list or one burst arrive synchronously: deliver them as one batch.
    queueMicrotask(() => {
      this.#flushing = false;
      const names = [...new Set(this.#pending.splice(0))];
      this.#o.queue.push(() => this.#deliverOffers(names));
    });
  }

  #deliverOffers(names: readonly string[]): unknown {
    // Read at delivery time: an offer answered or rescinded meanwhile is not delivered.
    const batch = names
      .map(n => this.#offers.get(n))
      .filter((o): o is Offer => o !== undefined && o.spec.response === undefined)
      .filter(o => !this.#answered.has(nameOf(o)));
    if (batch.length === 0) return undefined;
    for (const o of batch) this.#delivered.set(nameOf(o), o.metadata.resourceVersion);
    return this.#o.scheduler.onOffers?.(batch, this.#o.driver);
  }

  #offerGone(o: Offer): void {
    const name = nameOf(o);
    this.#offers.delete(name);
    const delivered = this.#delivered.has(name);
    const answered = this.#answered.has(name) || o.spec.response !== undefined;
    this.#delivered.delete(name);
    this.#answered.delete(name);
    if (delivered && !answered) this.#emit(d => this.#o.scheduler.onRescinded?.(o, d));
  }

  #taskChanged(old: Task | undefined, t: Task): void {
    if (t.status?.state === undefined) return;
    if (old !== undefined && taskKey(old) === taskKey(t)) return;
    this.#emit(d => this.#o.scheduler.onTaskStatus?.(t, d));
  }

  #operationChanged(old: Operation | undefined, op: Operation): void {
    const state = op.status?.state;
    if (state === undefined || old?.status?.state === state || !hasFeedback(op)) return;
    this.#emit(async d => {
      await this.#o.scheduler.onOperationStatus?.(op, d);
      if (this.#o.implicitAcknowledgements && needsAcknowledgement(op))
        await this.#o.acknowledge(op);
    });
  }
}
