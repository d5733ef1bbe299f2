// The runtime's metric hooks, observed through the real registry: a queue counts what client-go
// counts, a Controller instrumented by the Manager reports its passes and failures.
import { expect } from 'chai';
import { pino } from 'pino';
import { ControllersMetrics } from '../../../../controllers/metrics/registry.ts';
import { Controller } from '../../../../controllers/runtime/controller.ts';
import { Manager } from '../../../../controllers/runtime/manager.ts';
import { TerminalError, done } from '../../../../controllers/runtime/reconciler.ts';
import { WorkQueue } from '../../../../controllers/runtime/work-queue.ts';
import type { EventSource, InformerHandlers } from '../../../../core/client/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const logger = pino({ level: 'silent' });

/** sample reads one sample's value from the text format (undefined when absent). */
async function sample(m: ControllersMetrics, series: string): Promise<number | undefined> {
  const line = (await m.text()).split('\n').find(l => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('runtime metric hooks', () => {
  it('counts a queue add once per key waiting, and each rate-limited retry', async () => {
    const m = new ControllersMetrics();
    const q = new WorkQueue({ clock: new FakeClock(), metrics: m.controller('q') });
    for (const k of ['a', 'b', 'a', 'a']) q.add(k);
    q.addRateLimited('c');
    q.addRateLimited('c');
    q.shutDown();
    expect(await sample(m, 'workqueue_adds_total{name="q"}')).to.equal(2);
    expect(await sample(m, 'workqueue_retries_total{name="q"}')).to.equal(2);
  });

  it('builds and runs a WorkQueue and a Controller with no metrics at all', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    expect(await q.get()).to.equal('a');
    q.shutDown();
  });

  it("reports an instrumented controller's passes, failures and queue depth under its name", async () => {
    const m = new ControllersMetrics();
    const subs = new Set<InformerHandlers<KubeObject>>();
    const source: EventSource<KubeObject> = {
      on: h => {
        subs.add(h);
        return () => subs.delete(h);
      },
      hasSynced: () => true,
      waitForSync: () => Promise.resolve(),
    };
    const clock = new FakeClock();
    const controller = new Controller({
      name: 'things',
      clock,
      logger,
      reconciler: {
        reconcile: req => {
          if (req.name === 'bad') return Promise.reject(new TerminalError('no'));
          return Promise.resolve(done);
        },
      },
    }).watch(source);
    new Manager({ clock, logger, metrics: m }).add(controller);
    const stop = new AbortController();
    const running = controller.start(stop.signal);
    for (const name of ['ok', 'bad'])
      for (const h of subs) h.add?.({ apiVersion: 'v1', kind: 'Thing', metadata: { name } });
    await eventually(async () =>
      expect(await sample(m, 'workqueue_work_duration_seconds_count{name="things"}')).to.equal(2),
    );
    expect(await sample(m, 'workqueue_adds_total{name="things"}')).to.equal(2);
    expect(await sample(m, 'corral_reconcile_errors_total{controller="things"}')).to.equal(1);
    expect(await sample(m, 'workqueue_depth{name="things"}')).to.equal(0);
    stop.abort();
    await running;
  });
});
