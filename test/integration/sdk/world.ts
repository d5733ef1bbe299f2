// A real API server for the SDK's integration tests; the tests play the allocator (they write
// Offers), the offer controller (Tasks, Operations) and the agent (their status) themselves.
import { pino } from 'pino';
import type { Client } from '../../../core/client/index.ts';
import { builtinKinds, corralKinds } from '../../../core/client/index.ts';
import type {
  Offer,
  Operation,
  OperationState,
  Task,
  TaskState,
} from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

/** logger prints nothing unless CORRAL_TEST_LOG is set. */
export const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

/** ROLE is the framework's role. */
export const ROLE = 'analytics';

let seq = 0;

/** unique makes a DNS-safe name unique to this run. */
export function unique(prefix: string): string {
  return `${prefix}-${(++seq).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** makeNamespace creates a namespace and waits until objects can be created in it. */
export async function makeNamespace(client: Client): Promise<string> {
  const name = unique('sdk');
  await client.for(builtinKinds.namespaces).create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  await eventually(() =>
    client.for(builtinKinds.leases).create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'ready', namespace: name },
    }),
  );
  return name;
}

/** makeOffer writes an Offer of `cpus` and `mem` to the framework, as the allocator does. */
export function makeOffer(
  client: Client,
  ns: string,
  framework: string,
  cpus = '2',
): Promise<Offer> {
  return client.for(corralKinds.offers).create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name: unique('offer'), namespace: ns },
    spec: {
      framework,
      agent: 'agent-1',
      role: ROLE,
      resources: [
        { name: 'cpus', scalar: cpus, allocationRole: ROLE },
        { name: 'mem', scalar: '1024', allocationRole: ROLE },
      ],
    },
  });
}

/** makeTask writes a Task of the framework, as the offer controller does for a LAUNCH. */
export function makeTask(
  client: Client,
  ns: string,
  framework: string,
  name: string,
): Promise<Task> {
  return client.for(corralKinds.tasks).create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: ns },
    spec: {
      agent: 'agent-1',
      framework,
      role: ROLE,
      resources: { cpus: 1, mem: 64 },
      command: { value: 'true' },
    },
  });
}

/** setTaskState writes the Task's status, as the agent reports it. */
export async function setTaskState(
  client: Client,
  ns: string,
  name: string,
  state: TaskState,
): Promise<Task> {
  const api = client.for(corralKinds.tasks);
  const t = await api.get({ namespace: ns, name });
  return api.updateStatus({ ...t, status: { state, source: 'SOURCE_EXECUTOR' } });
}

/** makeOperation writes a RESERVE Operation of the framework in `state`. */
export async function makeOperation(
  client: Client,
  ns: string,
  framework: string,
  state: OperationState,
): Promise<Operation> {
  const api = client.for(corralKinds.operations);
  const op = await api.create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: { name: unique('op'), namespace: ns },
    spec: {
      type: 'RESERVE',
      agent: 'agent-1',
      framework,
      reserve: {
        resources: [{ name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: ROLE }] }],
      },
    },
  });
  return api.updateStatus({ ...op, status: { state } });
}

/** World is the API server and a client of it. */
export interface World {
  readonly api: TestApiServer;
  readonly client: Client;
}
