// A cluster for the allocator's integration tests: a real API server with the CRDs, kubectl for
// the operator's steps, the typed client for assertions, and in-process controllers processes
// (the real `runControllers` with the allocator component, short intervals and a short lease).
import { pino } from 'pino';
import { Client, corralKinds } from '../../../core/client/index.ts';
import type { Offer } from '../../../core/types/index.ts';
import { Resources, parseResourceList, scalarToNumber } from '../../../core/resources/index.ts';
import { allocatorComponent } from '../../../controllers/allocator/runnable.ts';
import type { ConfigInput } from '../../../controllers/allocator/config.ts';
import type { ControllerContext } from '../../../controllers/main.ts';
import { runControllers } from '../../../controllers/main.ts';
import type { Runnable } from '../../../controllers/runtime/runnable.ts';
import { runnableOf } from '../../../controllers/runtime/runnable.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { makeKubectl, type Kubectl } from '../../helpers/kubectl.ts';

/** ControllersProcess is one in-process `corral controllers` candidate. */
export interface ControllersProcess {
  readonly identity: string;
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** AllocatorCluster is what each test drives. */
export interface AllocatorCluster {
  readonly api: TestApiServer;
  readonly client: Client;
  readonly kubectl: Kubectl;
  /** controllers starts a controllers process with the allocator (and the decline stand-in). */
  controllers(identity: string, config?: ConfigInput): ControllersProcess;
  /** apply is `kubectl apply -f -` of YAML documents. */
  apply(yaml: string): Promise<void>;
  /** offers lists every Offer (all namespaces) at one revision. */
  offers(namespace?: string): Promise<Offer[]>;
  stop(): Promise<void>;
}

const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

/** FAST is the allocator configuration of the tests: short batches. */
export const FAST: ConfigInput = { allocationIntervalMs: 150 };

/**
 * declineStandIn does for a DECLINE what the offer controller will (DESIGN §3.3): it deletes an
 * answered Offer at the version that carries the answer, so its resources come back under the
 * answer's filter. Registered beside the allocator until the offer controller joins.
 */
export function declineStandIn(ctx: ControllerContext): Runnable {
  const informer = ctx.manager.informer(corralKinds.offers);
  const offers = ctx.client.for(corralKinds.offers);
  return runnableOf('decline-stand-in', async signal => {
    const answered = (o: Offer): void => {
      if (o.spec.response?.decline === undefined) return;
      const { namespace = '', name = '', resourceVersion } = o.metadata;
      offers
        .delete(
          { namespace, name },
          {
            signal,
            ...(resourceVersion === undefined ? {} : { preconditions: { resourceVersion } }),
          },
        )
        .catch(() => undefined);
    };
    const off = informer.on({ add: answered, update: (_old, o) => answered(o) });
    await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }));
    off();
  });
}

/** startAllocatorCluster starts a fresh API server (own etcd key root) for one test. */
export async function startAllocatorCluster(): Promise<AllocatorCluster> {
  const api = await startTestApiServer({ crdDir: 'crds' });
  const client = Client.fromKubeConfig(api.kubeConfig);
  const kubectl = makeKubectl(api.kubeconfigPath);
  const running: ControllersProcess[] = [];
  return {
    api,
    client,
    kubectl,
    controllers(identity, config = FAST) {
      const abort = new AbortController();
      const done = runControllers({
        kubeConfig: api.kubeConfig,
        identity,
        leaseNamespace: 'corral-system',
        runnables: [allocatorComponent({ config }), declineStandIn],
        logger: logger.child({ identity }),
        signal: abort.signal,
        leaseDurationMs: 2000,
        retryPeriodMs: 500,
      });
      const p: ControllersProcess = {
        identity,
        done,
        async stop() {
          abort.abort();
          await done;
        },
      };
      running.push(p);
      return p;
    },
    async apply(yaml) {
      await kubectl.ok(['apply', '-f', '-'], yaml);
    },
    async offers(namespace) {
      const list = await client
        .for(corralKinds.offers)
        .list(namespace === undefined ? {} : { namespace });
      return list.items;
    },
    async stop() {
      await Promise.all(running.map(p => p.stop().catch(() => undefined)));
      await client.close();
      await api.stop();
    },
  };
}

/** offered is the sum of some offers' resources (allocation roles dropped). */
export function offered(offers: readonly Offer[]): Resources {
  return offers.reduce<Resources>(
    (sum, o) => sum.add(parseResourceList(o.spec.resources, 'spec.resources').unallocate()),
    Resources.EMPTY,
  );
}

/** scalar is one scalar's total in some resources, as a number (e.g. `cpus`). */
export function scalar(r: Resources, name: string): number {
  return scalarToNumber(r.toQuantities().get(name));
}

/** agentYaml is an Agent with unreserved cpus and mem (MB), plus optional extra YAML lines. */
export function agentYaml(name: string, cpus: number, mem: number, extra = ''): string {
  return `---
apiVersion: corral.dev/v1alpha1
kind: Agent
metadata: { name: ${name} }
spec:
  hostname: ${name}.test
  resources: { cpus: ${cpus}, mem: ${mem} }
  capabilities: [MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT]
${extra}`;
}

/** frameworkYaml is a Namespace and a Framework in it, subscribed to some roles. */
export function frameworkYaml(namespace: string, name: string, roles: readonly string[]): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: corral.dev/v1alpha1
kind: Framework
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  roles: [${roles.join(', ')}]
  capabilities: [MULTI_ROLE]
`;
}
