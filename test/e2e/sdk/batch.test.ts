import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { formatSummary, runBatch } from '../../../examples/batch/batch.ts';
import type { Cluster } from './cluster.ts';
import { logger, startCluster } from './cluster.ts';

describe('examples/batch on a whole cluster', function () {
  this.timeout(180_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster('cpus:2;mem:1024;disk:1024');
  });
  after(async () => {
    await cluster.stop();
  });

  it('runs more tasks than fit at once, several per offer, and reports every one finished', async () => {
    const { agent } = cluster;
    const lines: string[] = [];
    const summary = await runBatch({
      kubeConfig: agent.api.kubeConfig,
      namespace: agent.namespace,
      framework: 'batch',
      role: '*',
      tasks: 6,
      command: 'sleep 0.5',
      resources: { cpus: '0.5', mem: 32 },
      refuseSeconds: 1,
      keep: false,
      out: l => lines.push(l),
      clock: systemClock,
      logger,
    });
    const log = `${lines.join('\n')}\n${formatSummary(summary)}`;
    expect(summary, log).to.deep.include({ total: 6, finished: 6, failed: 0 });
    // at most four 0.5-cpu tasks fit the 2-cpu agent: the batch needed more than one offer,
    // and the first one held several tasks
    expect(summary.offersAccepted, log).to.be.greaterThan(1);
    expect(
      lines.some(l => /^Launching [2-4] task/.test(l)),
      log,
    ).to.equal(true);
    expect(log).to.include('suppressing offers');
    const { client, namespace } = agent;
    expect((await client.for(corralKinds.frameworks).list({ namespace })).items).to.deep.equal([]);
  });
});
