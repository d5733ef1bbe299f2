// Heartbeats of a fleet of hollow agents, as core/types/agent-lease.ts describes them: each agent
// renews its Lease every interval and rewrites its Agent status (Ready, lastHeartbeatTime) only
// when it changes and otherwise at a slow refresh, so a heartbeat costs one small write and wakes
// no Agent watcher. "When it changes": the first write after the start (registration leaves
// Ready alone), and whenever the record shows the agent not Ready while it runs (the health
// controller marked it unreachable during a stall; it clears Unreachable once renewals resume,
// and Ready is the agent's to set). Both run on a spread schedule: agent i first renews and
// first writes its status i/N of an interval after the start, so N agents send N/interval
// writes a second evenly rather than N at once. Each write goes over the freshest copy known (a
// Conflict costs a read), at most `concurrency` in flight; a write still in flight when its next
// falls due skips that one.
import type { Logger } from 'pino';
import type { Lease } from '../../core/client/index.ts';
import type { Agent } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { AgentApi } from '../registration/agent-status.ts';
import { FIELD_MANAGER, writeAgentStatus } from '../registration/agent-status.ts';
import { withHeartbeat, withStopped } from '../registration/heartbeat.ts';
import type { LeaseApi } from '../registration/leases.ts';
import { agentLeaseDurationSeconds, renewLease } from '../registration/leases.ts';
import { Limiter } from './limiter.ts';
import { TimerQueue } from '../../core/util/timer-queue.ts';

/** HollowHeartbeatOptions wire the fleet's heartbeats. */
export interface HollowHeartbeatOptions {
  readonly api: AgentApi;
  readonly leases: LeaseApi;
  /** agents are the registered records, by name: the first base of each agent's writes. */
  readonly agents: ReadonlyMap<string, Agent>;
  /** intervalMs between two renewals of an agent's Lease. */
  readonly intervalMs: number;
  /** statusRefreshMs between two rewrites of an agent's unchanged status. */
  readonly statusRefreshMs: number;
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

type Beat = 'lease' | 'status';

function revision(a: Agent): bigint {
  try {
    return BigInt(a.metadata.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
}

const keyOf = (beat: Beat, name: string): string => `${beat}/${name}`;

function splitKey(key: string): { beat: Beat; name: string } {
  const slash = key.indexOf('/');
  return { beat: key.slice(0, slash) === 'lease' ? 'lease' : 'status', name: key.slice(slash + 1) };
}

/** HollowHeartbeats keeps every hollow agent of the process Ready. */
export class HollowHeartbeats {
  readonly #o: HollowHeartbeatOptions;
  readonly #copies: Map<string, Agent>;
  readonly #leases = new Map<string, Lease>();
  /** #ready are the agents whose status this run has written (Ready=True). */
  readonly #ready = new Set<string>();
  readonly #timers: TimerQueue;
  readonly #dueAt = new Map<string, number>();
  readonly #inFlight = new Set<string>();
  readonly #failing = new Set<string>();
  readonly #limiter: Limiter;
  #beats = 0;
  #statusWrites = 0;
  #stopping = false;

  constructor(o: HollowHeartbeatOptions) {
    this.#o = o;
    this.#copies = new Map(o.agents);
    this.#timers = new TimerQueue(o.clock);
    this.#limiter = new Limiter(o.concurrency);
  }

  /** beats is the number of Lease renewals written so far. */
  get beats(): number {
    return this.#beats;
  }

  /** statusWrites is the number of status refreshes written so far. */
  get statusWrites(): number {
    return this.#statusWrites;
  }

  /** failing is the number of agents whose last renewal or refresh failed. */
  get failing(): number {
    return new Set([...this.#failing].map(k => splitKey(k).name)).size;
  }

  #periodOf(beat: Beat): number {
    return beat === 'lease' ? this.#o.intervalMs : this.#o.statusRefreshMs;
  }

  /** run renews and refreshes for every agent on the spread schedule until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.#o;
    const names = [...this.#copies.keys()];
    const start = clock.now();
    names.forEach((name, i) => {
      const first = start + (i * this.#o.intervalMs) / names.length;
      for (const beat of ['lease', 'status'] as const) this.#schedule(keyOf(beat, name), first);
    });
    const beating = new Set<Promise<void>>();
    await this.#timers.run(signal, key => {
      const period = this.#periodOf(splitKey(key).beat);
      const due = this.#dueAt.get(key) ?? clock.now();
      let next = due + period;
      if (next <= clock.now()) next = clock.now() + period; // fell behind: no burst to catch up
      this.#schedule(key, next);
      if (this.#inFlight.has(key)) return;
      const p = this.#beat(key, signal).finally(() => beating.delete(p));
      beating.add(p);
    });
    await Promise.all(beating);
  }

  /**
   * observed takes an Agent record as a watch shows it: a copy fresher than the agent's own, and
   * a sign that its status needs writing now if the record says the agent is not Ready.
   */
  observed(agent: Agent): void {
    const name = agent.metadata.name ?? '';
    const mine = this.#copies.get(name);
    if (mine === undefined || this.#stopping) return;
    if (revision(agent) > revision(mine)) this.#copies.set(name, agent);
    // before this run's first status write (due anyway) the record is a previous run's
    if (!this.#ready.has(name)) return;
    const ready = agent.status?.conditions?.find(c => c.type === 'Ready');
    if (ready?.status !== 'True') this.#schedule(keyOf('status', name), this.#o.clock.now());
  }

  /** markAllStopped records a graceful stop of every agent (Ready=False/AgentStopped). */
  async markAllStopped(): Promise<void> {
    this.#stopping = true;
    const now = new Date(this.#o.clock.now()).toISOString();
    const message = 'hollow agent stopped gracefully';
    await Promise.all(
      [...this.#copies.values()].map(base =>
        this.#limiter
          .run(() =>
            writeAgentStatus({ api: this.#o.api, base, change: s => withStopped(s, now, message) }),
          )
          .catch((err: unknown) =>
            this.#o.logger.debug({ agent: base.metadata.name, err }, 'could not record the stop'),
          ),
      ),
    );
  }

  #schedule(key: string, at: number): void {
    this.#dueAt.set(key, at);
    this.#timers.at(key, at);
  }

  // #renew writes one Lease renewal of agent `name`.
  async #renew(name: string, signal: AbortSignal): Promise<void> {
    const lease = await renewLease({
      api: this.#o.leases,
      agent: name,
      base: this.#leases.get(name),
      nowMs: this.#o.clock.now(),
      durationSeconds: agentLeaseDurationSeconds(this.#o.intervalMs),
      fieldManager: FIELD_MANAGER,
      signal,
    });
    this.#leases.set(name, lease);
    this.#beats++;
  }

  // #refresh rewrites agent `name`'s status: Ready, with the time of this heartbeat.
  async #refresh(name: string, signal: AbortSignal): Promise<void> {
    const base = this.#copies.get(name);
    if (base === undefined) return;
    const now = new Date(this.#o.clock.now()).toISOString();
    const written = await writeAgentStatus({
      api: this.#o.api,
      base,
      change: s => withHeartbeat(s, now),
      signal,
    });
    this.#copies.set(name, written);
    this.#ready.add(name);
    this.#statusWrites++;
  }

  async #beat(key: string, signal: AbortSignal): Promise<void> {
    const { beat, name } = splitKey(key);
    this.#inFlight.add(key);
    try {
      await this.#limiter.run(() =>
        beat === 'lease' ? this.#renew(name, signal) : this.#refresh(name, signal),
      );
      if (this.#failing.delete(key) && this.#failing.size === 0) {
        this.#o.logger.info({}, 'hollow heartbeats resumed');
      }
    } catch (err) {
      if (signal.aborted) return;
      if (this.#failing.size === 0) {
        this.#o.logger.warn({ agent: name, beat, err }, 'hollow heartbeats failing; retrying');
      }
      this.#failing.add(key);
      this.#o.logger.debug({ agent: name, beat, err }, 'heartbeat failed');
    } finally {
      this.#inFlight.delete(key);
    }
  }
}
