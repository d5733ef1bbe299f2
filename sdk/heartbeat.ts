// The framework's sign of life (core/framework liveness.ts): a Lease in its namespace, owned by
// its Framework, renewed every few seconds while the driver runs. The framework controller marks
// the Framework inactive once the renewals stop, which starts its failover timeout. Connecting
// takes the Lease over (the failover); a renewal that finds another holder means a newer run of
// the framework took over, and this one must stop (Mesos: "Framework failed over").
import type { Logger } from 'pino';
import { isConflict, isNotFound } from '../core/client/index.ts';
import type { Lease, LeaseSpec } from '../core/client/index.ts';
import { FRAMEWORK_LEASE_LABEL, frameworkLeaseName } from '../core/framework/index.ts';
import { microTime } from '../core/util/micro-time.ts';
import type { Framework } from '../core/types/index.ts';
import { CORRAL_API_VERSION } from '../core/types/index.ts';
import type { Clock } from '../core/util/clock.ts';
import type { KindApi } from './ports.ts';
import { FIELD_MANAGER } from './registration.ts';

/** DEFAULT_HEARTBEAT_INTERVAL_MS is how often the driver renews the Lease (5 s). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;

/** HeartbeatOptions name the framework, this run of it, and how it beats. */
export interface HeartbeatOptions {
  readonly api: KindApi<Lease>;
  readonly namespace: string;
  /** framework is the Framework: its name names the Lease, its uid owns it. */
  readonly framework: () => Framework | undefined;
  /** identity names this run of the framework (the Lease's holder). */
  readonly identity: string;
  readonly clock: Clock;
  /** intervalMs is the time between renewals. */
  readonly intervalMs: number;
  /** leaseDurationSeconds is written for readers; the controller applies its own timeout. */
  readonly leaseDurationSeconds: number;
}

/** Beat is the outcome of one beat: the Lease is this run's, or a newer run holds it. */
export type Beat = 'held' | 'lost';

const ATTEMPTS = 5;

/** Heartbeat takes and renews the framework's Lease. */
export class Heartbeat {
  readonly #o: HeartbeatOptions;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
  }

  /** acquire takes the Lease for this run (creating it when missing): the failover. */
  acquire(signal?: AbortSignal): Promise<Beat> {
    return this.#beat(true, signal);
  }

  /** renew moves the Lease's renewTime, or says `lost` when another run holds it now. */
  renew(signal?: AbortSignal): Promise<Beat> {
    return this.#beat(false, signal);
  }

  /**
   * run renews the Lease every interval until `signal` aborts (`stopped`) or another run holds
   * it (`lost`). A renewal that fails is logged and tried again at the next beat: the framework
   * controller waits its whole timeout before it calls the framework gone.
   */
  async run(signal: AbortSignal, logger: Logger): Promise<'stopped' | 'lost'> {
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(this.#o.intervalMs, signal);
      } catch {
        return 'stopped';
      }
      try {
        if ((await this.renew(signal)) === 'lost') return 'lost';
      } catch (e) {
        if (signal.aborted) return 'stopped';
        logger.warn({ err: e }, 'lease renewal failed; retrying at the next beat');
      }
    }
    return 'stopped';
  }

  async #beat(takeOver: boolean, signal: AbortSignal | undefined): Promise<Beat> {
    const fw = this.#o.framework();
    if (fw === undefined) return 'held';
    const key = { namespace: this.#o.namespace, name: frameworkLeaseName(fw.metadata.name ?? '') };
    const opts = { fieldManager: FIELD_MANAGER, ...(signal === undefined ? {} : { signal }) };
    for (let attempt = 1; ; attempt++) {
      let old: Lease | undefined;
      try {
        old = await this.#o.api.get(key, opts);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const holder = old?.spec?.holderIdentity ?? '';
      if (!takeOver && old !== undefined && holder !== '' && holder !== this.#o.identity)
        return 'lost';
      const next = this.#lease(fw, key.name, old);
      try {
        await (old === undefined ? this.#o.api.create(next, opts) : this.#o.api.update(next, opts));
        return 'held';
      } catch (e) {
        // a write raced this one (the framework controller never writes it): read again
        if (!(isConflict(e) || isNotFound(e)) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  #lease(fw: Framework, name: string, old: Lease | undefined): Lease {
    const spec = this.#spec(old?.spec, old === undefined);
    const owner = {
      apiVersion: CORRAL_API_VERSION,
      kind: 'Framework',
      name: fw.metadata.name ?? '',
      uid: fw.metadata.uid ?? '',
    };
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...old?.metadata,
        name,
        namespace: this.#o.namespace,
        labels: { ...old?.metadata.labels, [FRAMEWORK_LEASE_LABEL]: 'true' },
        // owned by the Framework (a re-created one too), so deleting it deletes the Lease
        ...(owner.uid === '' ? {} : { ownerReferences: [owner] }),
      },
      spec,
    };
  }

  // #spec keeps acquireTime and leaseTransitions while this run holds the Lease, as client-go's
  // leader election does, and moves renewTime.
  #spec(old: LeaseSpec | undefined, created: boolean): LeaseSpec {
    const now = microTime(this.#o.clock.now());
    const keeps = old?.holderIdentity === this.#o.identity;
    const transitions = old?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: this.#o.leaseDurationSeconds,
      acquireTime: keeps ? (old?.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: keeps || created ? transitions : transitions + 1,
    };
  }
}
