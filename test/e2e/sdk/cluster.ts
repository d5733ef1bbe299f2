// A whole Corral cluster in this process for the framework e2e tests: a real API server, the
// controllers `corral up` runs (allocator, offers, operations, tasks, agents, reservations) and
// one real agent running containers with runc. stop() also runs from the fixture registry.
import { pino } from 'pino';
import type { RunningControllers } from '../../../cli/controllers.ts';
import { startControllers } from '../../../cli/controllers.ts';
import type { AgentFixture } from '../agent/agent-fixture.ts';
import { startAgentFixture } from '../agent/agent-fixture.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { registerFixture } from '../../helpers/fixtures.ts';

/** logger prints nothing unless CORRAL_TEST_LOG is set. */
export const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

/** Cluster is a running cluster; `agent.namespace` is a namespace ready for a framework. */
export interface Cluster {
  readonly agent: AgentFixture;
  readonly controllers: RunningControllers;
  stop(): Promise<void>;
}

let leases = 0;

/** startCluster starts the API server, an agent with `resources`, and the controllers. */
export async function startCluster(resources = 'cpus:2;mem:1024;disk:1024'): Promise<Cluster> {
  const api = await startTestApiServer({ crdDir: 'crds' });
  const agent = await startAgentFixture({ api, resources });
  const controllers = startControllers({
    kubeconfigPath: api.kubeconfigPath,
    identity: `e2e-sdk-${++leases}`,
    leaseNamespace: `corral-e2e-sdk-${leases}`,
    allocator: { allocationInterval: '200ms' },
    offerFlow: { operationRetention: '1s', operationConfirmGrace: '1s' },
    logger,
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await controllers.stop();
    await agent.stop();
    await api.stop();
  };
  const unregister = registerFixture(stop);
  return {
    agent,
    controllers,
    async stop() {
      unregister();
      await stop();
    },
  };
}
