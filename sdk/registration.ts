// Registering a framework (Mesos SUBSCRIBE / UPDATE_FRAMEWORK) is writing its Framework record:
// create it, or, when a record of that name exists, re-register by replacing its spec. The same
// name after a restart is the failover: tasks, operations and offers of the old run are the new
// run's to reconcile.
import { isAlreadyExists, isConflict, isNotFound } from '../core/client/index.ts';
import type { Condition, Framework, FrameworkSpec } from '../core/types/index.ts';
import { ACTIVE_CONDITION, ACTIVE_REASONS } from '../core/framework/index.ts';
import { CORRAL_API_VERSION } from '../core/types/index.ts';
import type { Clock } from '../core/util/clock.ts';
import type { KindApi } from './ports.ts';

/** FIELD_MANAGER names the SDK's writes in managedFields. */
export const FIELD_MANAGER = 'corral-sdk';

/** RegisterInput names the framework and what it registers with. */
export interface RegisterInput {
  readonly api: KindApi<Framework>;
  readonly namespace: string;
  readonly name: string;
  readonly spec: FrameworkSpec;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

/** Registration is the record as registered and whether it existed before (a failover). */
export interface Registration {
  readonly framework: Framework;
  readonly reregistered: boolean;
}

// A namespace created a moment ago may not be visible to admission yet: a create in it is a
// NotFound for a short while. Retry that (and write races) a bounded number of times.
const ATTEMPTS = 20;
const RETRY_MS = 250;

/**
 * register creates the Framework, or re-registers by replacing the spec of the existing one
 * (its annotations stay). Throws ClientError: Invalid for a bad spec or a changed principal,
 * NotFound when the namespace does not exist.
 */
export async function register(i: RegisterInput): Promise<Registration> {
  const key = { namespace: i.namespace, name: i.name };
  const opts = {
    fieldManager: FIELD_MANAGER,
    ...(i.signal === undefined ? {} : { signal: i.signal }),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const framework = await i.api.create(
        {
          apiVersion: CORRAL_API_VERSION,
          kind: 'Framework',
          metadata: { name: i.name, namespace: i.namespace },
          spec: i.spec,
        },
        opts,
      );
      return { framework, reregistered: false };
    } catch (e) {
      if (isAlreadyExists(e)) break;
      if (!isNotFound(e) || attempt >= ATTEMPTS) throw e;
    }
    await i.clock.sleep(RETRY_MS, i.signal);
  }
  for (let attempt = 1; ; attempt++) {
    const current = await i.api.get(key, opts);
    try {
      const framework = await i.api.update({ ...current, spec: i.spec }, opts);
      return { framework, reregistered: true };
    } catch (e) {
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/**
 * withActive is the status conditions with Active set: True while connected, False once the
 * framework disconnected (its failover timeout runs from lastTransitionTime). The transition time
 * changes only when the status does.
 */
export function withActive(
  conditions: readonly Condition[] | undefined,
  active: boolean,
  now: number,
): Condition[] {
  const status = active ? 'True' : 'False';
  const old = conditions?.find(c => c.type === ACTIVE_CONDITION);
  const next: Condition = {
    type: ACTIVE_CONDITION,
    status,
    reason: active ? ACTIVE_REASONS.connected : ACTIVE_REASONS.disconnected,
    message: active ? 'the framework is connected' : 'the framework disconnected',
    lastTransitionTime:
      old !== undefined && old.status === status
        ? old.lastTransitionTime
        : new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return [...(conditions ?? []).filter(c => c.type !== ACTIVE_CONDITION), next];
}

/** SetActiveInput names the framework and the state to record. */
export interface SetActiveInput {
  readonly api: KindApi<Framework>;
  readonly namespace: string;
  readonly name: string;
  readonly active: boolean;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

/**
 * setActive records the Active condition (Mesos: the framework is connected or not) through the
 * status subresource, read-modify-write on the resourceVersion. A Framework that is gone is left
 * alone; the result is the record as written, or undefined then.
 */
export async function setActive(i: SetActiveInput): Promise<Framework | undefined> {
  const key = { namespace: i.namespace, name: i.name };
  const opts = {
    fieldManager: FIELD_MANAGER,
    ...(i.signal === undefined ? {} : { signal: i.signal }),
  };
  for (let attempt = 1; ; attempt++) {
    let current: Framework;
    try {
      current = await i.api.get(key, opts);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const conditions = withActive(current.status?.conditions, i.active, i.clock.now());
    try {
      return await i.api.updateStatus(
        { ...current, status: { ...current.status, conditions } },
        opts,
      );
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}
