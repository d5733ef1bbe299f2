// Operation feedback for every hollow agent in the process: one informer on all Operations,
// dispatched by spec.agent like the Tasks, each open one confirmed by the real agent's
// confirmOperation. There are no directories behind a hollow agent's persistent volumes, so
// CREATE and DESTROY touch nothing, but DESTROY still fails while a Task of that agent that has
// not ended holds or mounts the volume, as on a real agent.
import type { Logger } from 'pino';
import type { SharedInformer } from '../../core/client/index.ts';
import { corralKinds, isNotFound } from '../../core/client/index.ts';
import type { Client } from '../../core/client/index.ts';
import type { Operation } from '../../core/types/operation.ts';
import type { ResourceItem } from '../../core/types/resources.ts';
import type { Task } from '../../core/types/task.ts';
import type { Volume } from '../../core/types/volume.ts';
import type { Clock } from '../../core/util/clock.ts';
import { confirmOperation } from '../operations/confirm.ts';
import { volumeInUse } from '../operations/volume-use.ts';
import { isFinal } from '../status/transitions.ts';
import { KeyedExecutor } from '../sync/keyed-executor.ts';
import { splitKey, taskKey } from '../sync/names.ts';

/** HollowOperationSyncOptions wire the operation side of the hollow agents. */
export interface HollowOperationSyncOptions {
  readonly client: Client;
  /** operations is an informer on every Operation (the caller runs it). */
  readonly operations: SharedInformer<Operation>;
  /** tasks is the informer on every Task, for DESTROY's in-use check. */
  readonly tasks: SharedInformer<Task>;
  readonly owns: (agent: string) => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
}

// persistent volumes of a hollow agent exist only in the records
const noVolumes = {
  create: (volumes: readonly unknown[]): Promise<string[]> =>
    Promise.resolve(volumes.map(() => '')),
  destroy: (): Promise<boolean> => Promise.resolve(true),
};

/** HollowOperationSync confirms the hollow agents' Operations. */
export class HollowOperationSync {
  readonly #o: HollowOperationSyncOptions;
  readonly #executor: KeyedExecutor;

  constructor(o: HollowOperationSyncOptions) {
    this.#o = o;
    const api = o.client.for(corralKinds.operations);
    const volumes = o.client.for(corralKinds.volumes);
    const lookupVolume = (name: string, signal: AbortSignal): Promise<Volume | undefined> =>
      volumes.get({ name }, { signal }).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
    const deps = {
      api,
      clock: o.clock,
      logger: o.logger,
      fieldManager: o.fieldManager,
      volumes: noVolumes,
    };
    this.#executor = new KeyedExecutor({
      clock: o.clock,
      logger: o.logger,
      concurrency: 8,
      run: async (key, signal) => {
        const op = o.operations.cache.get(splitKey(key));
        if (op === undefined || !o.owns(op.spec.agent)) return {};
        // only a DESTROY asks, so the scan of every Task is rare
        const inUse = (volume: ResourceItem, s: AbortSignal): Promise<boolean> => {
          const tasks = o.tasks.cache
            .list()
            .filter(t => t.spec.agent === op.spec.agent && !isFinal(t.status));
          return volumeInUse({ volume, tasks, lookupVolume, signal: s });
        };
        await confirmOperation({ ...deps, inUse }, op, signal);
        return {};
      },
    });
  }

  /** run confirms operations until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const sync = (op: Operation): void => {
      if (this.#o.owns(op.spec.agent)) this.#executor.enqueue(taskKey(op));
    };
    const unsubscribe = this.#o.operations.on({ add: sync, update: (_old, op) => sync(op) });
    this.#executor.start(signal);
    await new Promise<void>(resolve => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    unsubscribe();
    await this.#executor.idle();
  }
}
