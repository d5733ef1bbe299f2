// Metrics whose hot path is a plain field update. A prom-client child (`counter.labels(...)`)
// still validates and hashes its labels on every inc/observe: measured here (Node 24) a counter
// inc cost ≈380 ns, a histogram observe ≈450 ns and a gauge inc+dec ≈210 ns, about 1 µs a
// request for the three, where a cell below costs ≈15 ns. So the request path updates cells,
// and these subclasses hand the cells to prom-client only when /metrics is scraped: registry,
// text format, HELP/TYPE lines and default labels all stay prom-client's.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { LabelValues } from 'prom-client';

/** Labels are one label set of a metric. */
export type Labels = LabelValues<string>;

/** CounterCell is one label set's value: a count, or a gauge's level (which may go down). */
export class CounterCell {
  value = 0;
  readonly labels: Labels;
  constructor(labels: Labels) {
    this.labels = labels;
  }
}

/** HistogramCell is one label set's observations: per-bucket counts (not cumulative), sum, count. */
export class HistogramCell {
  readonly labels: Labels;
  readonly #bounds: readonly number[];
  /** counts[i] is the observations in (bounds[i-1], bounds[i]]; the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(labels: Labels, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** observe adds one value (a linear scan: most observations land in the first few buckets). */
  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

/** MetricConfig names a metric and its labels. */
export interface MetricConfig {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

// Cells keyed by their label values: two routes with the same labels (a CRD's ResourceInfo
// replaced by an update) share one cell, so a scrape never shows a label set twice.
class Cells<C> {
  readonly #names: readonly string[];
  readonly #make: (labels: Labels) => C;
  readonly byKey = new Map<string, C>();
  constructor(names: readonly string[], make: (labels: Labels) => C) {
    this.#names = names;
    this.#make = make;
  }

  get(labels: Labels): C {
    const key = this.#names.map(n => String(labels[n] ?? '')).join('\u0000');
    let c = this.byKey.get(key);
    if (c === undefined) {
      c = this.#make(labels);
      this.byKey.set(key, c);
    }
    return c;
  }
}

// cellOptions are a Counter's or Gauge's prom-client options whose collect copies every cell in
// with `write` (inc for a counter, set for a gauge) at each scrape.
function cellOptions<M extends { reset(): void }>(
  cfg: MetricConfig,
  cells: Cells<CounterCell>,
  write: (metric: M, cell: CounterCell) => void,
) {
  return {
    name: cfg.name,
    help: cfg.help,
    labelNames: cfg.labelNames,
    registers: [],
    collect(this: M) {
      this.reset();
      for (const c of cells.byKey.values()) write(this, c);
    },
  };
}

const counterCells = (cfg: MetricConfig): Cells<CounterCell> =>
  new Cells(cfg.labelNames, l => new CounterCell(l));

/** CellCounter is a prom-client Counter whose counts live in cells, copied in at each scrape. */
export class CellCounter extends Counter {
  readonly #cells: Cells<CounterCell>;
  constructor(cfg: MetricConfig) {
    const cells = counterCells(cfg);
    super(cellOptions<Counter>(cfg, cells, (m, c) => m.inc(c.labels, c.value)));
    this.#cells = cells;
  }

  /** cell returns the cell of a label set, made on first use; callers keep it. */
  cell(labels: Labels): CounterCell {
    return this.#cells.get(labels);
  }
}

/** CellGauge is a prom-client Gauge whose levels live in cells, copied in at each scrape. */
export class CellGauge extends Gauge {
  readonly #cells: Cells<CounterCell>;
  constructor(cfg: MetricConfig) {
    const cells = counterCells(cfg);
    super(cellOptions<Gauge>(cfg, cells, (m, c) => m.set(c.labels, c.value)));
    this.#cells = cells;
  }

  /** cell returns the cell of a label set, made on first use; callers keep it. */
  cell(labels: Labels): CounterCell {
    return this.#cells.get(labels);
  }
}

/**
 * CellHistogram is a prom-client Histogram whose observations live in cells. prom-client has no
 * public way to set a histogram's buckets, so it answers getForPromString (which the registry
 * and Histogram.get read) itself, in prom-client's own value shape: the `le` label apart, the
 * cell's labels as `sharedLabels`. The integration test reads the exposition, so a change of
 * that shape in a prom-client upgrade fails there.
 */
export class CellHistogram extends Histogram {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  readonly #cells: Cells<HistogramCell>;
  constructor(cfg: MetricConfig & { readonly buckets: readonly number[] }) {
    const bounds = [...cfg.buckets].sort((a, b) => a - b);
    super({
      name: cfg.name,
      help: cfg.help,
      labelNames: cfg.labelNames,
      buckets: bounds,
      registers: [],
    });
    this.#name = cfg.name;
    this.#help = cfg.help;
    this.#bounds = bounds;
    this.#cells = new Cells(cfg.labelNames, l => new HistogramCell(l, bounds));
  }

  /** cell returns the cell of a label set, made on first use; callers keep it. */
  cell(labels: Labels): HistogramCell {
    return this.#cells.get(labels);
  }

  /** getForPromString is the exposition: cumulative `_bucket{le}`, +Inf, `_sum`, `_count`. */
  getForPromString(): Promise<unknown> {
    const bucket = `${this.#name}_bucket`;
    const values: unknown[] = [];
    for (const c of this.#cells.byKey.values()) {
      const shared = c.labels;
      let cumulative = 0;
      this.#bounds.forEach((le, i) => {
        cumulative += c.counts[i] as number;
        values.push({
          metricName: bucket,
          value: cumulative,
          labels: { le },
          sharedLabels: shared,
        });
      });
      const rest = { sharedLabels: shared, labels: {} };
      values.push({ ...rest, metricName: bucket, value: c.count, labels: { le: '+Inf' } });
      values.push({ ...rest, metricName: `${this.#name}_sum`, value: c.sum });
      values.push({ ...rest, metricName: `${this.#name}_count`, value: c.count });
    }
    return Promise.resolve({
      name: this.#name,
      help: this.#help,
      type: 'histogram',
      values,
      aggregator: 'sum',
    });
  }
}
