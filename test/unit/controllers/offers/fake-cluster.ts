// An in-memory API for controller tests: one store per kind with the API server's write rules that
// the controllers rely on (compare-and-swap on resourceVersion, AlreadyExists, status only through
// updateStatus and dropped on create, a created Task given its TASK_STAGING by the server's own
// rule in api/registry/task-initial-status.ts, generation bumped on spec changes, finalizers
// holding a deleted object until the last one goes, delete preconditions). Its caches are always
// current.
// A write budget makes the next write fail, to kill a controller between two writes.
import { isDeepStrictEqual } from 'node:util';
import type { ObjectKey, ReadonlyCache } from '../../../../core/client/index.ts';
import { ClientError, deepFreeze } from '../../../../core/client/index.ts';
import type {
  Agent,
  Framework,
  KubeObject,
  ObjectMeta,
  Offer,
  Operation,
  Reservation,
  Task,
  Volume,
} from '../../../../core/types/index.ts';
import type { AgentRecords } from '../../../../controllers/reservations/agent-model.ts';
import { setInitialTaskStatus } from '../../../../api/registry/task-initial-status.ts';

/** CrashError is what a write past the budget throws: the controller "dies" there. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}

const fail = (reason: 'NotFound' | 'AlreadyExists' | 'Conflict', message: string) =>
  new ClientError({
    reason,
    code: reason === 'NotFound' ? 404 : 409,
    message,
  });

const keyString = (k: ObjectKey): string =>
  k.namespace === undefined || k.namespace === '' ? k.name : `${k.namespace}/${k.name}`;
const keyOf = (o: KubeObject): ObjectKey => ({
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name ?? '',
});

// withoutMeta is what a generation counts: everything but metadata and status.
function withoutMeta(o: KubeObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'metadata' && k !== 'status'));
}

/** FakeKind is one kind's store: its typed client's methods, and `cache` for its informer. */
export class FakeKind<T extends KubeObject> {
  readonly #cluster: FakeCluster;
  readonly #objects = new Map<string, T>();
  /** cache is the informer cache view (always current, frozen objects). */
  readonly cache: ReadonlyCache<T>;

  constructor(cluster: FakeCluster) {
    this.#cluster = cluster;
    const objects = this.#objects;
    this.cache = {
      get size() {
        return objects.size;
      },
      get: key => objects.get(keyString(key)),
      list: namespace => {
        const all = [...objects.values()];
        return namespace === undefined ? all : all.filter(o => o.metadata.namespace === namespace);
      },
    };
  }

  /** list is every stored object (frozen). */
  list(namespace?: string): T[] {
    return this.cache.list(namespace);
  }

  /** peek is the stored object, or undefined. */
  peek(key: ObjectKey): T | undefined {
    return this.cache.get(key);
  }

  /** get is the client's get: a fresh copy, NotFound when absent. */
  get = async (key: ObjectKey): Promise<T> => {
    await Promise.resolve();
    const o = this.peek(key);
    if (o === undefined) throw fail('NotFound', `${keyString(key)} not found`);
    return structuredClone(o);
  };

  create = (obj: T): Promise<T> =>
    this.#cluster.write(() => {
      const key = keyString(keyOf(obj));
      if (this.#objects.has(key)) throw fail('AlreadyExists', `${key} already exists`);
      const stored: KubeObject = structuredClone(obj);
      delete stored['status'];
      stored.metadata = {
        ...stored.metadata,
        uid: this.#cluster.uid(),
        generation: 1,
        creationTimestamp: this.#cluster.timestamp(),
      };
      if (stored.kind === 'Task') setInitialTaskStatus(stored);
      return this.#store(stored as T);
    });

  /**
   * createMany is the client's List create: each item one write under the budget, in order; an
   * item's AlreadyExists is its answer, a crash (budget spent) loses the whole answer.
   */
  createMany = async (objs: readonly T[]): Promise<(ObjectMeta | ClientError)[]> => {
    const answers: (ObjectMeta | ClientError)[] = [];
    for (const obj of objs) {
      try {
        answers.push((await this.create(obj)).metadata);
      } catch (e) {
        if (!(e instanceof ClientError)) throw e;
        answers.push(e);
      }
    }
    return answers;
  };

  update = (obj: T): Promise<T> =>
    this.#cluster.write(() => {
      const cur = this.#current(obj);
      const next: KubeObject = structuredClone(obj);
      if (cur['status'] === undefined) delete next['status'];
      else next['status'] = structuredClone(cur['status']);
      const curRest = withoutMeta(cur);
      const nextRest = withoutMeta(next);
      const old = cur.metadata.finalizers ?? [];
      const added = (next.metadata.finalizers ?? []).some(f => !old.includes(f));
      if (cur.metadata.deletionTimestamp !== undefined && added)
        throw fail('Conflict', 'no new finalizers on a deleting object');
      next.metadata = {
        ...next.metadata,
        ...(cur.metadata.uid === undefined ? {} : { uid: cur.metadata.uid }),
        ...(cur.metadata.creationTimestamp === undefined
          ? {}
          : { creationTimestamp: cur.metadata.creationTimestamp }),
        generation: (cur.metadata.generation ?? 1) + (isDeepStrictEqual(curRest, nextRest) ? 0 : 1),
        ...(cur.metadata.deletionTimestamp === undefined
          ? {}
          : { deletionTimestamp: cur.metadata.deletionTimestamp }),
      };
      if (
        next.metadata.deletionTimestamp !== undefined &&
        (next.metadata.finalizers ?? []).length === 0
      ) {
        this.#objects.delete(keyString(keyOf(next)));
        return structuredClone(next) as T;
      }
      return this.#store(next as T);
    });

  updateStatus = (obj: T): Promise<T> =>
    this.#cluster.write(() => {
      const cur = this.#current(obj);
      const next: KubeObject = structuredClone(cur);
      if (obj['status'] === undefined) delete next['status'];
      else next['status'] = structuredClone(obj['status']);
      return this.#store(next as T);
    });

  delete = (
    key: ObjectKey,
    opts: { preconditions?: { uid?: string; resourceVersion?: string } } = {},
  ): Promise<void> =>
    this.#cluster.write(() => {
      const cur = this.peek(key);
      if (cur === undefined) throw fail('NotFound', `${keyString(key)} not found`);
      const p = opts.preconditions;
      if (p?.uid !== undefined && p.uid !== cur.metadata.uid) throw fail('Conflict', 'uid differs');
      if (p?.resourceVersion !== undefined && p.resourceVersion !== cur.metadata.resourceVersion)
        throw fail('Conflict', 'resourceVersion differs');
      if ((cur.metadata.finalizers ?? []).length === 0) {
        this.#objects.delete(keyString(key));
        return undefined;
      }
      if (cur.metadata.deletionTimestamp !== undefined) return undefined;
      const next = structuredClone(cur);
      next.metadata.deletionTimestamp = this.#cluster.timestamp();
      this.#store(next);
      return undefined;
    });

  /** put stores an object as is (test setup: no rules, no budget). */
  put(obj: T): T {
    const o = structuredClone(obj);
    o.metadata.uid ??= this.#cluster.uid();
    o.metadata.generation ??= 1;
    o.metadata.creationTimestamp ??= this.#cluster.timestamp();
    return this.#store(o);
  }

  #current(obj: T): T {
    const cur = this.peek(keyOf(obj));
    if (cur === undefined) throw fail('NotFound', `${keyString(keyOf(obj))} not found`);
    if (obj.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw fail('Conflict', `${keyString(keyOf(obj))} changed`);
    return cur;
  }

  #store(o: T): T {
    o.metadata.resourceVersion = this.#cluster.revision();
    this.#objects.set(keyString(keyOf(o)), deepFreeze(structuredClone(o)));
    return structuredClone(o);
  }
}

/** FakeCluster holds one FakeKind per Corral kind the controllers touch. */
export class FakeCluster {
  #rv = 0;
  #uid = 0;
  /** writes counts successful writes; budget, when set, is how many more may succeed. */
  writes = 0;
  budget: number | undefined;
  /** hold, when set, is waited for by the next write only (to keep one write in flight). */
  hold: Promise<void> | undefined;
  now: () => number = () => Date.parse('2025-01-01T00:00:00Z');

  readonly agents = new FakeKind<Agent>(this);
  readonly frameworks = new FakeKind<Framework>(this);
  readonly offers = new FakeKind<Offer>(this);
  readonly reservations = new FakeKind<Reservation>(this);
  readonly volumes = new FakeKind<Volume>(this);
  readonly tasks = new FakeKind<Task>(this);
  readonly operations = new FakeKind<Operation>(this);

  /** write runs one write under the budget. */
  async write<R>(f: () => R): Promise<R> {
    const hold = this.hold;
    this.hold = undefined;
    await (hold ?? Promise.resolve());
    if (this.budget !== undefined) {
      if (this.budget <= 0) throw new CrashError('write budget exhausted');
      this.budget--;
    }
    const r = f();
    this.writes++;
    return r;
  }

  revision(): string {
    return String(++this.#rv);
  }

  uid(): string {
    return `uid-${++this.#uid}`;
  }

  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** records reads the objects bound to an agent, as the by-agent indexes do. */
  records(): AgentRecords {
    const on = <O extends { spec: { agent: string } }>(list: O[], agent: string) =>
      list.filter(o => o.spec.agent === agent);
    return {
      reservations: a => on(this.reservations.list(), a),
      volumes: a => on(this.volumes.list(), a),
      tasks: a => on(this.tasks.list(), a),
      offers: a => on(this.offers.list(), a),
    };
  }
}
