import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { runExecute } from '../../../examples/execute/execute.ts';
import type { Cluster } from './cluster.ts';
import { logger, startCluster } from './cluster.ts';

describe('examples/execute on a whole cluster (API server, controllers, runc agent)', function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster.stop();
  });

  function run(name: string, command: string, lines: string[]): Promise<number> {
    const { agent } = cluster;
    return runExecute({
      kubeConfig: agent.api.kubeConfig,
      namespace: agent.namespace,
      framework: `execute-${name}`,
      role: '*',
      name,
      command,
      resources: { cpus: '0.1', mem: 32 },
      keep: false,
      out: l => lines.push(l),
      clock: systemClock,
      logger,
    });
  }

  it('runs a command as a task, streams STAGING → … → TASK_FINISHED and exits 0', async () => {
    const lines: string[] = [];
    const code = await run('hello', 'echo hello from corral', lines);
    const states = lines.flatMap(l => /status update (\w+)/.exec(l)?.[1] ?? []);
    expect(code, lines.join('\n')).to.equal(0);
    expect(states.at(-1)).to.equal('TASK_FINISHED');
    expect(states).to.include('TASK_RUNNING');
    expect(lines.join('\n')).to.include(`Submitted task 'hello' to agent '${cluster.agent.name}'`);
    // torn down: no Framework and no Task left behind
    const { client, namespace } = cluster.agent;
    expect((await client.for(corralKinds.frameworks).list({ namespace })).items).to.deep.equal([]);
    const tasks = await client.for(corralKinds.tasks).list({ namespace });
    expect(tasks.items.filter(t => t.metadata.deletionTimestamp === undefined)).to.deep.equal([]);
  });

  it('exits non-zero when the command fails', async () => {
    const lines: string[] = [];
    const code = await run('failing', 'exit 3', lines);
    expect(code, lines.join('\n')).to.equal(1);
    expect(lines.join('\n')).to.match(/TASK_FAILED/);
  });
});
