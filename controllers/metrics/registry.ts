// The controllers process's Prometheus metrics, in a registry this instance owns (not the
// global default, so two controllers in one test process do not mix). The hot-path counters
// are plain numbers bumped by the runtime and turned into samples only when scraped.
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LoopMetrics } from '../allocator/loop.ts';
import type { ControllerMetrics, RuntimeMetrics } from '../runtime/metrics.ts';

/** QueueCounts are one controller's running totals and its live queue length readers. */
interface QueueCounts {
  adds: number;
  retries: number;
  errors: number;
  readonly depth: Set<() => number>;
}

// Reconcile passes mostly wait on the API server: a few ms to tens of seconds.
const WORK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// A cycle is synchronous over the in-memory model: sub-millisecond on a small cluster.
const CYCLE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * ControllersMetrics is the registry of one controllers process: client-go's workqueue metrics
 * per controller, reconcile errors, leadership and the allocator's cycle and Offer counts, plus
 * prom-client's default process metrics. Durations are read from performance.now(), not the
 * injected Clock: they observe real time spent, and a test's fake clock would make them zero.
 */
export class ControllersMetrics implements RuntimeMetrics {
  /** registry is what `/metrics` renders. */
  readonly registry = new Registry();
  /** allocator is the allocator loop's sink. */
  readonly allocator: LoopMetrics;
  readonly #queues = new Map<string, QueueCounts>();
  readonly #work: Histogram<'name'>;
  #isLeader: () => boolean = () => false;

  constructor() {
    const registers = [this.registry];
    const queues = this.#queues;
    collectDefaultMetrics({ register: this.registry });
    const perQueue = (
      name: string,
      help: string,
      read: (q: QueueCounts) => number,
      label = 'name',
    ): void => {
      new Counter({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          this.reset();
          for (const [n, q] of queues) this.inc({ [label]: n }, read(q));
        },
      });
    };
    perQueue('workqueue_adds_total', 'Keys added to a controller queue.', q => q.adds);
    perQueue('workqueue_retries_total', 'Keys re-added after a failure backoff.', q => q.retries);
    perQueue(
      'corral_reconcile_errors_total',
      'Reconcile passes that failed (retried or terminal).',
      q => q.errors,
      'controller',
    );
    new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting in a controller queue for a worker.',
      labelNames: ['name'],
      registers,
      collect() {
        this.reset();
        for (const [n, q] of queues) {
          let depth = 0;
          for (const len of q.depth) depth += len();
          this.set({ name: n }, depth);
        }
      },
    });
    this.#work = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'Seconds one reconcile pass took.',
      labelNames: ['name'],
      buckets: WORK_BUCKETS,
      registers,
    });
    const leader = (): number => (this.#isLeader() ? 1 : 0);
    new Gauge({
      name: 'corral_leader',
      help: '1 while this process holds the controllers lease, else 0.',
      registers,
      collect() {
        this.set(leader());
      },
    });
    this.allocator = allocatorMetrics(registers);
  }

  /** observeLeader makes `corral_leader` read leadership from `isLeader` at scrape time. */
  observeLeader(isLeader: () => boolean): void {
    this.#isLeader = isLeader;
  }

  /** controller is the sink of one named controller (the same counts across leadership terms). */
  controller(name: string): ControllerMetrics {
    let q = this.#queues.get(name);
    if (q === undefined) {
      q = { adds: 0, retries: 0, errors: 0, depth: new Set() };
      this.#queues.set(name, q);
    }
    const counts = q;
    const labels = { name };
    const work = this.#work;
    return {
      added: () => {
        counts.adds += 1;
      },
      retried: () => {
        counts.retries += 1;
      },
      failed: () => {
        counts.errors += 1;
      },
      startWork: () => {
        const t0 = performance.now();
        return () => work.observe(labels, (performance.now() - t0) / 1000);
      },
      observeDepth: len => {
        counts.depth.add(len);
        return () => void counts.depth.delete(len);
      },
    };
  }

  /** text renders every metric in the Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** contentType is the text format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

function allocatorMetrics(registers: Registry[]): LoopMetrics {
  const cycle = new Histogram({
    name: 'corral_allocator_cycle_duration_seconds',
    help: 'Seconds one allocation cycle took to compute (publishing excluded).',
    buckets: CYCLE_BUCKETS,
    registers,
  });
  const published = new Counter({
    name: 'corral_allocator_offers_published_total',
    help: 'Offers the allocator created.',
    registers,
  });
  const rescinded = new Counter({
    name: 'corral_allocator_offers_rescinded_total',
    help: 'Offers the allocator deleted (timed out, agent or framework gone, failed publish).',
    registers,
  });
  return {
    startCycle: () => {
      const t0 = performance.now();
      return () => cycle.observe((performance.now() - t0) / 1000);
    },
    published: n => published.inc(n),
    rescinded: n => rescinded.inc(n),
  };
}
