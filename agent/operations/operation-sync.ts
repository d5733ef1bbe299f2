// The agent's half of operation feedback (DESIGN.md flow 4): watch the Operations bound to this
// agent (field selector spec.agent=<name>), carry out each one still pending, and confirm it with
// OPERATION_FINISHED or OPERATION_FAILED through `/status`. The controllers create the records,
// one for every operation an answer applies (those without an id too, marked as giving no
// feedback: the agent carries them out all the same); the agent only confirms them, once: a
// state other than PENDING/RECOVERING is never touched.
import type { Logger } from 'pino';
import type { Client, SharedInformer } from '../../core/client/index.ts';
import { corralKinds, makeSharedInformer } from '../../core/client/index.ts';
import type { Operation } from '../../core/types/operation.ts';
import type { Clock } from '../../core/util/clock.ts';
import { KeyedExecutor } from '../sync/keyed-executor.ts';
import type { SyncResult } from '../sync/keyed-executor.ts';
import { splitKey, taskKey } from '../sync/names.ts';
import type { OperationDeps } from './apply-operation.ts';
import { confirmOperation } from './confirm.ts';

/** OperationSyncOptions wire the operation side of the agent. */
export interface OperationSyncOptions extends OperationDeps {
  readonly client: Client;
  readonly agentName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
}

/** OperationSync confirms this agent's operations. */
export class OperationSync {
  readonly #o: OperationSyncOptions;
  readonly #informer: SharedInformer<Operation>;
  readonly #executor: KeyedExecutor;

  constructor(o: OperationSyncOptions) {
    this.#o = o;
    this.#informer = makeSharedInformer(o.client.for(corralKinds.operations), {
      clock: o.clock,
      logger: o.logger,
      fieldSelector: `spec.agent=${o.agentName}`,
    });
    this.#executor = new KeyedExecutor({
      clock: o.clock,
      logger: o.logger,
      // one at a time, in the order they arrive, as Mesos's agent applies operations: a DESTROY
      // and a later CREATE of the same persistence id must not overtake each other
      concurrency: 1,
      run: (key, signal) => this.#sync(key, signal),
    });
  }

  async #sync(key: string, signal: AbortSignal): Promise<SyncResult> {
    const o = this.#o;
    const api = o.client.for(corralKinds.operations);
    await confirmOperation({ ...o, api }, this.#informer.cache.get(splitKey(key)), signal);
    return {};
  }

  /** run watches and confirms operations until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const informing = this.#informer.run(signal);
    const unsubscribe = this.#informer.on({
      add: op => this.#executor.enqueue(taskKey(op)),
      update: (_old, op) => this.#executor.enqueue(taskKey(op)),
    });
    this.#executor.start(signal);
    try {
      await informing;
    } finally {
      unsubscribe();
      await this.#executor.idle();
    }
  }

  /** waitForSync resolves once the first list is in (tests). */
  waitForSync(signal: AbortSignal): Promise<void> {
    return this.#informer.waitForSync(signal);
  }
}
