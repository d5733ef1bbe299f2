import { expect } from 'chai';
import { corralKinds, makeSharedInformer } from '../../../core/client/index.ts';
import type { Offer, OfferResponse } from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { allocatorComponent } from '../../../controllers/allocator/runnable.ts';
import { runControllers } from '../../../controllers/main.ts';
import { offerController } from '../../../controllers/offers/index.ts';
import type { RunningHollowAgents } from '../../../agent/hollow/main.ts';
import { startHollowAgents } from '../../../agent/hollow/main.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Cluster, StateRecorder } from './fleet.ts';
import { logger, recordStates, startCluster, unique } from './fleet.ts';

const AGENTS = 20;

describe('hollow agents under the allocator and the offer controller', function () {
  this.timeout(90_000);
  let cluster: Cluster;
  let hollow: RunningHollowAgents;
  let recorder: StateRecorder;
  const abort = new AbortController();
  let controllers: Promise<void>;

  before(async () => {
    cluster = await startCluster();
    recorder = await recordStates(cluster);
    hollow = await startHollowAgents({
      kubeConfig: cluster.api.kubeConfig,
      count: AGENTS,
      prefix: unique('c'),
      taskSeconds: 0,
      heartbeatIntervalMs: 1000,
      logger,
    });
    controllers = runControllers({
      kubeConfig: cluster.api.kubeConfig,
      identity: unique('ctl-'),
      leaseNamespace: unique('corral-test-'),
      runnables: [allocatorComponent({ config: { allocationIntervalMs: 200 } }), offerController()],
      logger,
      signal: abort.signal,
      leaseDurationMs: 2000,
      renewDeadlineMs: 1500,
      retryPeriodMs: 200,
    });
  });
  after(async () => {
    abort.abort();
    await controllers.catch(() => undefined);
    recorder.stop();
    await hollow.stop();
    await cluster.stop();
  });

  it('runs a framework launching one small task per offer: every task STAGING, then RUNNING on a hollow agent, in two writes (create, RUNNING)', async () => {
    const { client, namespace } = cluster;
    // namespace admission may not have seen the namespace yet: retry meanwhile
    await eventually(() =>
      client.for(corralKinds.frameworks).create({
        apiVersion: CORRAL_API_VERSION,
        kind: 'Framework',
        metadata: { name: 'fw', namespace },
        spec: { roles: ['role'], capabilities: ['MULTI_ROLE'], principal: 'principal' },
      }),
    );
    // the scripted framework: accept each offer with a LAUNCH of one task, until AGENTS tasks
    const offers = client.for(corralKinds.offers);
    const stop = new AbortController();
    const informer = makeSharedInformer(offers, { clock: systemClock, namespace });
    const answered = new Set<string>();
    let launched = 0;
    const answer = (o: Offer): void => {
      const name = o.metadata.name ?? '';
      if (o.spec.response !== undefined || answered.has(name)) return;
      answered.add(name);
      const response: OfferResponse =
        launched < AGENTS
          ? {
              accept: {
                operations: [
                  {
                    type: 'LAUNCH',
                    launch: {
                      tasks: [
                        {
                          name: `t-${++launched}`,
                          spec: {
                            resources: { cpus: '0.1', mem: '32' },
                            command: { value: 'sleep 1000' },
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            }
          : { decline: {} };
      offers.update({ ...o, spec: { ...o.spec, response } }).catch(() => answered.delete(name));
    };
    informer.on({ add: answer, update: (_old, o) => answer(o) });
    void informer.run(stop.signal).catch(() => undefined);
    try {
      const tasks = await eventually(async () => {
        const list = (await client.for(corralKinds.tasks).list({ namespace })).items;
        expect(list).to.have.length(AGENTS);
        for (const t of list) expect(t.status?.state, t.metadata.name).to.equal('TASK_RUNNING');
        return list;
      }, 60_000);
      const owned = new Set(hollow.names);
      for (const t of tasks) expect(owned.has(t.spec.agent), t.spec.agent).to.equal(true);
      // two writes per Task from create to RUNNING: the offer controller's create (STAGING, set
      // by the API server, and the agent's finalizer already on), then the agent's RUNNING (no
      // start delay: no STARTING on the record). The recorder's own watch may be a moment behind
      // the list that showed them all RUNNING.
      await eventually(() => {
        for (const t of tasks) {
          const name = t.metadata.name ?? '';
          expect(recorder.states(name), name).to.deep.equal(['TASK_STAGING', 'TASK_RUNNING']);
          expect(recorder.writes(name), name).to.deep.equal(['TASK_STAGING+f', 'TASK_RUNNING+f']);
        }
      }, 10_000);
    } finally {
      stop.abort();
    }
  });
});
