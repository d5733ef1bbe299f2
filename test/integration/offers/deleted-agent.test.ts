// An Agent deleted outright (`kubectl delete agent`, not marked gone), through the real API server
// with the offer and task controllers running: its launched Tasks, running or never started, are
// settled as on a gone agent once the task controller's grace has passed, and their agent
// finalizer is released, so `kubectl delete task` returns instead of hanging.
import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import type { Task } from '../../../core/types/index.ts';
import { AGENT_FINALIZER } from '../../../core/types/index.ts';
import { offerController } from '../../../controllers/offers/index.ts';
import { taskController } from '../../../controllers/tasks/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Kubectl } from '../../helpers/kubectl.ts';
import { makeKubectl } from '../../helpers/kubectl.ts';
import { LAUNCH, res, task } from '../../unit/controllers/offers/engine/builders.ts';
import type { Flow } from './cluster.ts';
import {
  answer,
  keepBeating,
  makeAgent,
  makeFramework,
  makeNamespace,
  makeOffer,
  startFlow,
} from './cluster.ts';

// Short enough for a test, long enough that the tasks' creation is not within it at deletion.
const GRACE_MS = 1000;

describe('the Tasks of a deleted Agent through the real API (task controller, kubectl)', function () {
  this.timeout(60_000);
  let flow: Flow;
  let kubectl: Kubectl;
  before(async () => {
    flow = await startFlow(false);
    flow.startControllers([offerController(), taskController({ missingAgentGraceMs: GRACE_MS })]);
    kubectl = makeKubectl(flow.api.kubeconfigPath);
  });
  after(async () => {
    await flow.stop();
  });

  it('kubectl delete agent: a running task becomes TASK_GONE_BY_OPERATOR and is released; kubectl delete task of a never-started one returns', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    await makeFramework(client, ns, ['PARTITION_AWARE', 'MULTI_ROLE']);
    const stop = keepBeating(client, agent);
    const offer = await makeOffer(client, ns, agent, res('cpus:1;mem:128'));
    await answer(client, offer, {
      accept: {
        operations: [LAUNCH([task('run1', { cpus: '0.1' }), task('new1', { cpus: '0.1' })])],
      },
    });
    const tasks = client.for(corralKinds.tasks);
    const taskOf = (name: string): Promise<Task> => tasks.get({ namespace: ns, name });
    for (const name of ['run1', 'new1']) {
      await eventually(async () => {
        const t = await taskOf(name);
        expect(t.status?.state).to.equal('TASK_STAGING');
        expect(t.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
      });
    }
    // playing the agent: it started run1 and never got to new1
    const run1 = await taskOf('run1');
    await tasks.updateStatus({
      ...run1,
      status: {
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        lastTransitionTime: new Date().toISOString(),
      },
    });
    stop();

    await kubectl.ok(['delete', 'agent', agent]);
    // waits (kubectl's default) until the Task is gone: the controller releases the finalizer
    await kubectl.ok(['delete', 'task', 'new1', '-n', ns, '--timeout=30s']);
    const gone = await taskOf('new1').then(
      () => 'still there',
      () => 'gone',
    );
    expect(gone).to.equal('gone');

    await eventually(async () => {
      const t = await taskOf('run1');
      expect(t.status).to.deep.include({
        state: 'TASK_GONE_BY_OPERATOR',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
        source: 'SOURCE_MASTER',
        message: `agent ${agent} does not exist: its Agent object was deleted`,
      });
      expect(t.metadata.finalizers ?? []).to.deep.equal([]);
    }, 20_000);
    await kubectl.ok(['delete', 'task', 'run1', '-n', ns, '--timeout=30s']);
  });
});
