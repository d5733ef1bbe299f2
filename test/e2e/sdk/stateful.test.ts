import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import type { StatefulOptions } from '../../../examples/stateful/stateful.ts';
import { runStateful } from '../../../examples/stateful/stateful.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Cluster } from './cluster.ts';
import { logger, startCluster } from './cluster.ts';

describe('examples/stateful on a whole cluster', function () {
  this.timeout(180_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster('cpus:2;mem:1024;disk:1024');
  });
  after(async () => {
    await cluster.stop();
  });

  function run(lines: string[], destroy = false): Promise<number> {
    const { agent } = cluster;
    const o: StatefulOptions = {
      kubeConfig: agent.api.kubeConfig,
      namespace: agent.namespace,
      framework: 'keeper',
      role: 'stateful',
      principal: 'keeper',
      persistenceId: 'keeper-data',
      containerPath: 'data',
      diskMb: 32,
      resources: { cpus: '0.1', mem: 32 },
      destroy,
      out: l => lines.push(l),
      clock: systemClock,
      logger,
    };
    return runStateful(o);
  }

  it('reserves, creates a volume and runs; run again, the new task finds the data; --destroy gives it all back', async () => {
    const { client } = cluster.agent;
    const first: string[] = [];
    expect(await run(first), first.join('\n')).to.equal(0);
    expect(first.join('\n')).to.match(
      /Reserving resources for role stateful, creating volume keeper-data/,
    );
    const volumes = await client.for(corralKinds.volumes).list();
    expect(volumes.items.map(v => v.spec.resource.disk?.persistence?.id)).to.deep.equal([
      'keeper-data',
    ]);

    const second: string[] = [];
    expect(await run(second), second.join('\n')).to.equal(0);
    const log = second.join('\n');
    expect(log).to.include('re-registered');
    expect(log).to.include(
      `Remembered: volume keeper-data on agent ${cluster.agent.name}, 1 run(s)`,
    );
    expect(log).to.include("Launching task 'keeper-2' on volume keeper-data");
    expect(log).to.match(/TASK_FINISHED/);

    const third: string[] = [];
    expect(await run(third, true), third.join('\n')).to.equal(0);
    expect(third.join('\n')).to.include('Destroyed volume keeper-data');
    await eventually(async () => {
      expect((await client.for(corralKinds.volumes).list()).items).to.deep.equal([]);
      expect((await client.for(corralKinds.reservations).list()).items).to.deep.equal([]);
    }, 20_000);
  });
});
