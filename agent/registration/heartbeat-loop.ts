// Heartbeats (DESIGN.md flow 1) as Lease renewals, the way kubelet moved to node Leases: every
// interval the agent reads its Agent, renews its Lease in AGENT_LEASE_NAMESPACE (leases.ts) and
// writes the Agent's status (Ready=True, lastHeartbeatTime) only when heartbeat.ts `statusDue`
// says so. One read and one small write a beat; the Agent changes, and wakes its watchers, once
// a refresh. The read is also how the agent learns an operator marked it gone: the beat then
// writes nothing and throws AgentGoneError (main.ts stands down). A renewal that fails is
// logged and the beat falls back to writing the status, which the health controller reads too,
// so an API server refusing Leases costs writes, not the agent's health. Any other failure is
// logged and the beat is tried again at the next interval.
import type { Logger } from 'pino';
import type { Lease } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import type { Agent } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import { AgentGoneError } from './agent-gone.ts';
import type { AgentApi } from './agent-status.ts';
import { FIELD_MANAGER } from './agent-status.ts';
import { statusDue, withHeartbeat } from './heartbeat.ts';
import type { LeaseApi, NamespaceApi } from './leases.ts';
import { ensureLeaseNamespace, renewLease } from './leases.ts';

/** HeartbeatOptions wire the loop. */
export interface HeartbeatOptions {
  readonly api: AgentApi;
  readonly leases: LeaseApi;
  readonly namespaces: NamespaceApi;
  readonly name: string;
  readonly clock: Clock;
  /** intervalMs between two beats (Lease renewals). */
  readonly intervalMs: number;
  /** statusRefreshMs between two writes of an unchanged status. */
  readonly statusRefreshMs: number;
  readonly leaseDurationSeconds: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** BeatOutcome says what one beat wrote. */
export interface BeatOutcome {
  readonly leaseRenewed: boolean;
  readonly statusWritten: boolean;
}

const MAX_STATUS_ATTEMPTS = 5;

/** Heartbeat is one agent's heartbeat: its Lease, and when it last wrote its status. */
export class Heartbeat {
  readonly #o: HeartbeatOptions;
  #lease: Lease | undefined;
  #namespaceReady = false;
  #leaseFailing = false;
  #statusAt: number | undefined;

  constructor(o: HeartbeatOptions) {
    this.#o = o;
  }

  /** beat reads the Agent, renews the Lease and writes the status if due; AgentGoneError if gone. */
  async beat(): Promise<BeatOutcome> {
    const { api, name, signal } = this.#o;
    const agent = await api.get({ name }, { signal });
    if (agent.spec.gone === true) throw new AgentGoneError(name);
    const leaseRenewed = await this.#renew(agent);
    const clock = { writtenAt: this.#statusAt, refreshMs: this.#o.statusRefreshMs };
    if (leaseRenewed && !statusDue(agent, { ...clock, nowMs: this.#o.clock.now() })) {
      return { leaseRenewed, statusWritten: false };
    }
    await this.#writeStatus(agent);
    return { leaseRenewed, statusWritten: true };
  }

  /**
   * run beats at once and then every interval until `signal` aborts (resolves); it rejects with
   * AgentGoneError when the record says the agent is gone.
   */
  async run(): Promise<void> {
    const { clock, logger, signal } = this.#o;
    let failing = false;
    while (!signal.aborted) {
      try {
        await this.beat();
        if (failing) logger.info({}, 'heartbeats resumed');
        failing = false;
      } catch (err) {
        if (err instanceof AgentGoneError) throw err;
        if (signal.aborted) return;
        if (!failing) logger.warn({ err }, 'heartbeat failed; retrying');
        failing = true;
      }
      try {
        await clock.sleep(this.#o.intervalMs, signal);
      } catch {
        return;
      }
    }
  }

  // #renew renews the Lease (creating its namespace first if need be); false when it failed.
  async #renew(agent: Agent): Promise<boolean> {
    const o = this.#o;
    try {
      if (!this.#namespaceReady) {
        await ensureLeaseNamespace(o.namespaces, o.signal);
        this.#namespaceReady = true;
      }
      this.#lease = await renewLease({
        api: o.leases,
        agent: o.name,
        ...(agent.metadata.uid === undefined ? {} : { ownerUid: agent.metadata.uid }),
        base: this.#lease,
        nowMs: o.clock.now(),
        durationSeconds: o.leaseDurationSeconds,
        fieldManager: FIELD_MANAGER,
        signal: o.signal,
      });
      if (this.#leaseFailing) o.logger.info({}, 'Lease renewals resumed');
      this.#leaseFailing = false;
      return true;
    } catch (err) {
      o.signal.throwIfAborted();
      // a create answered NotFound: the namespace is missing (deleted, or not yet admitted)
      if (isNotFound(err)) this.#namespaceReady = false;
      if (!this.#leaseFailing) {
        o.logger.warn({ err }, 'Lease renewal failed; heartbeating through the Agent status');
      }
      this.#leaseFailing = true;
      return false;
    }
  }

  // #writeStatus writes Ready=True and the time over `agent` (CAS). After a Conflict it reads the
  // record again and checks the gone mark before writing, so no heartbeat lands on a gone agent.
  async #writeStatus(agent: Agent): Promise<void> {
    const { api, name, signal } = this.#o;
    let base = agent;
    for (let attempt = 1; ; attempt++) {
      const nowMs = this.#o.clock.now();
      const now = new Date(nowMs).toISOString();
      try {
        await api.updateStatus(
          { ...base, status: withHeartbeat(base.status ?? {}, now) },
          { signal, fieldManager: FIELD_MANAGER },
        );
        this.#statusAt = nowMs;
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= MAX_STATUS_ATTEMPTS) throw e;
      }
      base = await api.get({ name }, { signal });
      if (base.spec.gone === true) throw new AgentGoneError(name);
    }
  }
}

/** runHeartbeats runs an agent's heartbeat until `signal` aborts (see Heartbeat.run). */
export function runHeartbeats(o: HeartbeatOptions): Promise<void> {
  return new Heartbeat(o).run();
}
