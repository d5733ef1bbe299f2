// Every state a run's Tasks and Operations went through, and which of its agents were ever
// Unreachable, as watches saw them: a terminal state that changed later, or a state Mesos never
// shows (chaos-states.ts), is caught even when the end state looks fine.
import type { Client, SharedInformer } from '../../../core/client/index.ts';
import { corralKinds, makeSharedInformer } from '../../../core/client/index.ts';
import type { Agent, KubeObject, Operation, Task, TaskStatus } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import type { Snapshot } from './chaos-snapshot.ts';
import type { RunFacts } from './chaos-states.ts';
import {
  TERMINAL_OPERATION,
  isFinalTask,
  operationStateProblem,
  taskStateProblem,
} from './chaos-states.ts';

interface Seen<T, S> {
  readonly last: T;
  /** statuses in the order seen, consecutive repeats of a state dropped */
  readonly statuses: S[];
  /** transitions out of a terminal state */
  readonly left: string[];
}

const rvOf = (o: KubeObject): bigint => BigInt(o.metadata.resourceVersion ?? '0');

/** History records a run's objects from its own watches. */
export class History {
  readonly #abort = new AbortController();
  readonly #tasks = new Map<string, Seen<Task, TaskStatus | undefined>>();
  readonly #operations = new Map<string, Seen<Operation, Operation>>();
  readonly #unreachable = new Set<string>();
  readonly #informers: SharedInformer<KubeObject>[] = [];

  /** start watches the namespace's Tasks and Operations and the agents; resolves once synced. */
  async start(client: Client, namespace: string, agents: ReadonlySet<string>): Promise<void> {
    const opts = { clock: systemClock, namespace };
    const tasks = makeSharedInformer(client.for(corralKinds.tasks), opts);
    const ops = makeSharedInformer(client.for(corralKinds.operations), opts);
    const nodes = makeSharedInformer(client.for(corralKinds.agents), { clock: systemClock });
    tasks.on({ add: t => this.#task(t), update: (_o, t) => this.#task(t) });
    ops.on({ add: o => this.#operation(o), update: (_o, o) => this.#operation(o) });
    const node = (a: Agent) => {
      const name = a.metadata.name ?? '';
      const down = a.status?.conditions?.some(c => c.type === 'Unreachable' && c.status === 'True');
      if (agents.has(name) && down === true) this.#unreachable.add(name);
    };
    nodes.on({ add: node, update: (_o, a) => node(a) });
    for (const i of [tasks, ops, nodes] as SharedInformer<KubeObject>[]) {
      this.#informers.push(i);
      void i.run(this.#abort.signal).catch(() => undefined);
    }
    await Promise.all(this.#informers.map(i => i.waitForSync(this.#abort.signal)));
  }

  /** stop ends the watches. */
  stop(): void {
    this.#abort.abort();
  }

  /** everUnreachable are the agents seen Unreachable=True. */
  everUnreachable(): ReadonlySet<string> {
    return this.#unreachable;
  }

  /** caughtUp: the watches have seen every object of the snapshot at its version, or later. */
  caughtUp(s: Snapshot): boolean {
    const [tasks, ops, agents] = this.#informers;
    const seen = (i: SharedInformer<KubeObject> | undefined, o: KubeObject) => {
      const c = i?.cache.get({
        namespace: o.metadata.namespace ?? '',
        name: o.metadata.name ?? '',
      });
      return c === undefined ? false : rvOf(c) >= rvOf(o);
    };
    return (
      s.tasks.every(t => seen(tasks, t)) &&
      s.operations.every(o => seen(ops, o)) &&
      s.agents.every(a => seen(agents, a))
    );
  }

  /**
   * problems lists each terminal state left, and each state seen that Mesos never shows given
   * the run's facts (judged at the end: watches of different kinds need not arrive in order).
   */
  problems(facts: RunFacts): string[] {
    const out: string[] = [];
    for (const seen of this.#tasks.values()) {
      const states = seen.statuses.map(
        s => `${s?.state ?? 'none'}${s?.source === 'SOURCE_MASTER' ? '(master)' : ''}`,
      );
      const bad = seen.statuses.flatMap(s => taskStateProblem(seen.last, s, facts) ?? []);
      for (const p of new Set([...seen.left, ...bad]))
        out.push(`${p} (states seen: ${states.join(' → ')})`);
    }
    for (const seen of this.#operations.values()) {
      const states = seen.statuses.map(o => o.status?.state ?? 'none');
      const bad = seen.statuses.flatMap(o => operationStateProblem(o, facts) ?? []);
      for (const p of new Set([...seen.left, ...bad]))
        out.push(`${p} (states seen: ${states.join(' → ')})`);
    }
    return out;
  }

  #task(t: Task): void {
    const uid = t.metadata.uid ?? '';
    const seen = this.#tasks.get(uid) ?? { last: t, statuses: [], left: [] };
    const was = seen.statuses.at(-1);
    if (seen.statuses.length === 0 || was?.state !== t.status?.state) seen.statuses.push(t.status);
    if (isFinalTask(was) && was?.state !== t.status?.state)
      seen.left.push(`task ${t.metadata.name ?? ''} left the final ${was?.state ?? ''}`);
    this.#tasks.set(uid, { ...seen, last: t });
  }

  #operation(op: Operation): void {
    const uid = op.metadata.uid ?? '';
    const seen = this.#operations.get(uid) ?? { last: op, statuses: [], left: [] };
    const was = seen.statuses.at(-1)?.status?.state;
    if (seen.statuses.length === 0 || was !== op.status?.state) seen.statuses.push(op);
    if (was !== undefined && TERMINAL_OPERATION.has(was) && was !== op.status?.state)
      seen.left.push(`operation ${op.metadata.name ?? ''} left the terminal ${was}`);
    this.#operations.set(uid, { ...seen, last: op });
  }
}
