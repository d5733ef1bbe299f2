import { expect } from 'chai';
import { Registry } from 'prom-client';
import {
  CellCounter,
  CellGauge,
  CellHistogram,
  HistogramCell,
} from '../../../../api/metrics/cells.ts';

describe('HistogramCell', () => {
  it('puts a value equal to a bound in that bound, and a value above them all in the last slot', () => {
    const c = new HistogramCell({}, [0.1, 1, 10]);
    for (const v of [0, 0.1, 0.10001, 1, 10, 11]) c.observe(v);
    expect([...c.counts]).to.deep.equal([2, 2, 1, 1]);
    expect(c.count).to.equal(6);
    expect(c.sum).to.be.closeTo(22.20001, 1e-9);
  });
});

describe('cell metrics on a prom-client registry', () => {
  it('expose counters, gauges and cumulative histograms in the text format', async () => {
    const registry = new Registry();
    const counter = new CellCounter({ name: 't_total', help: 'c', labelNames: ['verb', 'code'] });
    const gauge = new CellGauge({ name: 't_level', help: 'g', labelNames: ['kind'] });
    const histogram = new CellHistogram({
      name: 't_seconds',
      help: 'h',
      labelNames: ['verb'],
      buckets: [1, 0.5],
    });
    for (const m of [counter, gauge, histogram]) registry.registerMetric(m);

    counter.cell({ verb: 'GET', code: '200' }).value += 2;
    // the same labels give the same cell, so a scrape never shows a label set twice
    counter.cell({ verb: 'GET', code: '200' }).value += 1;
    gauge.cell({ kind: 'readOnly' }).value += 1;
    const level = gauge.cell({ kind: 'mutating' });
    level.value += 2;
    level.value -= 2;
    const h = histogram.cell({ verb: 'LIST' });
    for (const v of [0.2, 0.7, 3]) h.observe(v);

    const text = await registry.metrics();
    const lines = text.split('\n').filter(l => l !== '' && !l.startsWith('#'));
    expect(lines).to.deep.equal([
      't_total{verb="GET",code="200"} 3',
      't_level{kind="readOnly"} 1',
      't_level{kind="mutating"} 0',
      't_seconds_bucket{le="0.5",verb="LIST"} 1',
      't_seconds_bucket{le="1",verb="LIST"} 2',
      't_seconds_bucket{le="+Inf",verb="LIST"} 3',
      't_seconds_sum{verb="LIST"} 3.9',
      't_seconds_count{verb="LIST"} 3',
    ]);
    expect(text).to.include('# TYPE t_seconds histogram');
    expect(text).to.include('# TYPE t_total counter');
  });

  it('keep two registries apart', async () => {
    const make = (): [Registry, CellCounter] => {
      const registry = new Registry();
      const c = new CellCounter({ name: 'same_total', help: 'c', labelNames: [] });
      registry.registerMetric(c);
      return [registry, c];
    };
    const [r1, c1] = make();
    const [r2] = make();
    c1.cell({}).value += 5;
    expect(await r1.metrics()).to.include('same_total 5');
    expect(await r2.metrics()).not.to.include('same_total 5');
  });
});
