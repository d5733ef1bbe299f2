// The agent's half of operation feedback (DESIGN.md flow 4): watch the Operations bound to this
// agent (field selector spec.agent=<name>), carry out each one still pending, and confirm it with
// OPERATION_FINISHED or OPERATION_FAILED through `/status`. The controllers create the records,
// one for every operation an answer applies (those without an id too, marked as giving no
// feedback: the agent carries them out all the same) and one for every operator change the agent
// has work for; the agent only confirms them, once: a state other than PENDING/RECOVERING is never
// touched. They are carried out one at a time, oldest first (operation-order.ts), whatever order
// the watch delivers them in: every event only wakes a pass that takes the oldest open one
// (ordered-pass.ts).
import type { Logger } from 'pino';
import type { Client, SharedInformer } from '../../core/client/index.ts';
import {
  corralKinds,
  makeSharedInformer,
  WITHOUT_MANAGED_FIELDS,
} from '../../core/client/index.ts';
import type { Operation } from '../../core/types/operation.ts';
import type { Clock } from '../../core/util/clock.ts';
import { KeyedExecutor } from '../sync/keyed-executor.ts';
import type { SyncResult } from '../sync/keyed-executor.ts';
import type { OperationDeps } from './apply-operation.ts';
import { confirmOperation } from './confirm.ts';
import { OrderedPass } from './ordered-pass.ts';

/** OperationSyncOptions wire the operation side of the agent. */
export interface OperationSyncOptions extends OperationDeps {
  readonly client: Client;
  readonly agentName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
}

// the one key of the executor: a pass over every open operation, so passes never overlap and a
// failed one is retried with backoff before anything newer is carried out
const PASS = 'operations';

/** OperationSync confirms this agent's operations. */
export class OperationSync {
  readonly #informer: SharedInformer<Operation>;
  readonly #executor: KeyedExecutor;
  readonly #pass: OrderedPass;

  constructor(o: OperationSyncOptions) {
    const api = o.client.for(corralKinds.operations);
    this.#informer = makeSharedInformer(api, {
      clock: o.clock,
      logger: o.logger,
      fieldSelector: `spec.agent=${o.agentName}`,
      ...WITHOUT_MANAGED_FIELDS,
    });
    this.#pass = new OrderedPass({
      list: () => this.#informer.cache.list(),
      confirm: (op, signal) => confirmOperation({ ...o, api }, op, signal),
    });
    this.#executor = new KeyedExecutor({
      clock: o.clock,
      logger: o.logger,
      concurrency: 1,
      run: async (_key, signal): Promise<SyncResult> => {
        await this.#pass.run(signal);
        return {};
      },
    });
  }

  /** run watches and confirms operations until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const informing = this.#informer.run(signal);
    const wake = (op: Operation): void => {
      this.#pass.seen(op);
      this.#executor.enqueue(PASS);
    };
    const unsubscribe = this.#informer.on({
      add: wake,
      update: (_old, op) => wake(op),
      delete: op => this.#pass.gone(op),
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
