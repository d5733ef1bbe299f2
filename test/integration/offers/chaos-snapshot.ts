// One consistent view of a chaos run: every kind the invariants read, listed at the same etcd
// revision (a list with a resourceVersion and a limit is an exact read, as in Kubernetes). Lists
// read one after another at the current revision could show a task finished in one and its
// resources offered again in the next, which is no double-booking at all.
import type { Client, Kind, ObjectList } from '../../../core/client/index.ts';
import { corralKinds } from '../../../core/client/index.ts';
import type {
  Agent,
  KubeObject,
  Offer,
  Operation,
  Reservation,
  Task,
  Volume,
} from '../../../core/types/index.ts';

/** Snapshot is a run's objects at one revision: its namespace's, and its agents'. */
export interface Snapshot {
  readonly revision: string;
  readonly agents: readonly Agent[];
  readonly offers: readonly Offer[];
  readonly tasks: readonly Task[];
  readonly operations: readonly Operation[];
  readonly reservations: readonly Reservation[];
  readonly volumes: readonly Volume[];
}

// far above what a run makes: a page that is not the whole list fails the read
const PAGE = 10_000;

/** readSnapshot lists the run's objects at the revision of a first list (of its Offers). */
export async function readSnapshot(
  client: Client,
  namespace: string,
  agents: ReadonlySet<string>,
): Promise<Snapshot> {
  const first = await client.for(corralKinds.offers).list({ namespace });
  const revision = first.metadata.resourceVersion;
  const at = async <T extends KubeObject>(kind: Kind<T>, ns?: string): Promise<T[]> => {
    const list: ObjectList<T> = await client.for(kind).list({
      resourceVersion: revision,
      limit: PAGE,
      ...(ns === undefined ? {} : { namespace: ns }),
    });
    if (list.metadata.continue !== undefined && list.metadata.continue !== '')
      throw new Error(`more than ${PAGE} ${kind.plural}`);
    return list.items;
  };
  const mine = <T extends { spec: { agent: string } }>(l: T[]) =>
    l.filter(o => agents.has(o.spec.agent));
  const [agentList, tasks, operations, reservations, volumes] = await Promise.all([
    at(corralKinds.agents),
    at(corralKinds.tasks, namespace),
    at(corralKinds.operations, namespace),
    at(corralKinds.reservations),
    at(corralKinds.volumes),
  ]);
  return {
    revision,
    agents: agentList.filter(a => agents.has(a.metadata.name ?? '')),
    offers: first.items,
    tasks,
    operations,
    reservations: mine(reservations),
    volumes: mine(volumes),
  };
}

/** summary counts what a snapshot holds, by kind and state, and says why things were refused. */
export function summary(s: Snapshot): string {
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m].map(([k, n]) => `${k}×${n}`).join(' ');
  };
  return [
    `tasks ${count(s.tasks.map(t => t.status?.state ?? 'none'))}`,
    `operations ${count(s.operations.map(o => `${o.spec.type}:${o.status?.state ?? 'none'}`))}`,
    `reservations ${s.reservations.length}, volumes ${s.volumes.length}, open offers ${s.offers.length}`,
    ...s.operations
      .filter(o => o.status?.state === 'OPERATION_ERROR')
      .map(o => `${o.metadata.name ?? ''}: ${o.status?.message ?? ''}`),
    ...s.tasks
      .filter(t => t.status?.state === 'TASK_ERROR')
      .map(t => `${t.metadata.name ?? ''}: ${t.status?.message ?? ''}`),
  ].join('\n  ');
}
