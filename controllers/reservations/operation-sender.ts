// Creating the Operation records of an operator change, each idempotently: a create that finds its
// name taken reads the record back (the name is the change's own, see operator-operations.ts), and
// the first status (OPERATION_PENDING, which is what the agent acts on) is written through
// `/status` only while the record has none, since the agent may have confirmed it since. They live
// in one namespace of the control plane's (operators' operations have no framework namespace),
// created when missing.
import type { Logger } from 'pino';
import type { CallOptions, Namespace, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../core/client/index.ts';
import { NO_FEEDBACK_LABEL, ORIGIN_ANNOTATION } from '../../core/framework/index.ts';
import type { Operation, OperationStatus, Reservation, Volume } from '../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isoTime } from '../agents/conditions.ts';
import type { PendingOperation } from './operator-operations.ts';

/** DEFAULT_OPERATION_NAMESPACE holds the Operations of operators' changes. */
export const DEFAULT_OPERATION_NAMESPACE = 'corral-system';

/** OperationCreateApi creates Operations and writes their first status: the typed client fits. */
export interface OperationCreateApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Operation>;
  create(obj: Operation, opts?: WriteOptions): Promise<Operation>;
  updateStatus(obj: Operation, opts?: WriteOptions): Promise<Operation>;
}

/** NamespaceCreateApi creates a Namespace: the typed client fits. */
export interface NamespaceCreateApi {
  create(obj: Namespace, opts?: WriteOptions): Promise<Namespace>;
}

/** OperationSenderOptions wire a sender. */
export interface OperationSenderOptions {
  readonly api: OperationCreateApi;
  readonly namespaces: NamespaceCreateApi;
  /** namespace holds the records (DEFAULT_OPERATION_NAMESPACE in the controllers process). */
  readonly namespace: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

const FIELD_MANAGER = 'corral-reservation-controller';
const MAX_ATTEMPTS = 5;

/**
 * operatorOrigin is the origin an operator change's Operations carry (`<Kind>/<name>/<uid>`):
 * it tells the operation controller the record was planned, and a reader where it came from.
 */
export function operatorOrigin(record: Reservation | Volume): string {
  return `${record.kind}/${record.metadata.name ?? ''}/${record.metadata.uid ?? ''}`;
}

/** operatorOperation is the Operation record of one pending operation of `record`. */
export function operatorOperation(
  record: Reservation | Volume,
  op: PendingOperation,
  namespace: string,
): Operation {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: {
      name: op.name,
      namespace,
      labels: { [NO_FEEDBACK_LABEL]: 'true' },
      annotations: { [ORIGIN_ANNOTATION]: operatorOrigin(record) },
    },
    spec: { type: op.type, agent: record.spec.agent, ...op.payload },
  };
}

/** OperationSender creates an operator change's Operations (see above). */
export class OperationSender {
  readonly #o: OperationSenderOptions;

  constructor(options: OperationSenderOptions) {
    this.#o = options;
  }

  /** send creates the Operations of `record`'s change, in order, each once. */
  async send(
    record: Reservation | Volume,
    ops: readonly PendingOperation[],
    signal: AbortSignal,
  ): Promise<void> {
    for (const op of ops) {
      const body = operatorOperation(record, op, this.#o.namespace);
      const current = await this.#create(body, signal);
      const origin = body.metadata.annotations?.[ORIGIN_ANNOTATION];
      if (current.metadata.annotations?.[ORIGIN_ANNOTATION] !== origin) {
        // Only someone writing Operations by hand into this namespace can hold the name.
        this.#o.logger.warn(
          { operation: `${this.#o.namespace}/${op.name}`, record: origin },
          'operation name taken by another record; not sent',
        );
        continue;
      }
      await this.#ensurePending(current, signal);
    }
  }

  async #create(body: Operation, signal: AbortSignal): Promise<Operation> {
    const call = { signal, fieldManager: FIELD_MANAGER };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#o.api.create(body, call);
      } catch (e) {
        if (isAlreadyExists(e)) {
          return this.#o.api.get(
            { namespace: this.#o.namespace, name: body.metadata.name ?? '' },
            { signal },
          );
        }
        // A create answers NotFound only for a missing namespace.
        if (!isNotFound(e) || attempt > 1) throw e;
        await this.#ensureNamespace(signal);
      }
    }
  }

  async #ensureNamespace(signal: AbortSignal): Promise<void> {
    const name = this.#o.namespace;
    try {
      await this.#o.namespaces.create(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { signal, fieldManager: FIELD_MANAGER },
      );
      this.#o.logger.info({ namespace: name }, 'created the operator operations namespace');
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }

  async #ensurePending(created: Operation, signal: AbortSignal): Promise<void> {
    let current = created;
    for (let attempt = 1; ; attempt++) {
      if (current.status?.state !== undefined) return;
      const status: OperationStatus = {
        state: 'OPERATION_PENDING',
        lastTransitionTime: isoTime(this.#o.clock.now()),
      };
      try {
        await this.#o.api.updateStatus(
          { ...current, status },
          { signal, fieldManager: FIELD_MANAGER },
        );
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
        current = await this.#o.api.get(
          { namespace: this.#o.namespace, name: current.metadata.name ?? '' },
          { signal },
        );
      }
    }
  }
}
