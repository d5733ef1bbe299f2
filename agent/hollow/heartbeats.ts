// Heartbeats of a fleet of hollow agents on a spread schedule: agent i first beats i/N of an
// interval after the start and then every interval, so N agents send N/interval beats a second
// evenly rather than N at once. Each beat is one `/status` write over the copy the agent's last
// write returned (writeAgentStatus; a Conflict costs a read), at most `concurrency` in flight;
// an agent whose beat is still in flight when the next falls due skips that one.
import type { Logger } from 'pino';
import type { Agent } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { AgentApi } from '../registration/agent-status.ts';
import { writeAgentStatus } from '../registration/agent-status.ts';
import { withHeartbeat, withStopped } from '../registration/heartbeat.ts';
import { Limiter } from './limiter.ts';
import { TimerQueue } from './timer-queue.ts';

/** HollowHeartbeatOptions wire the fleet's heartbeats. */
export interface HollowHeartbeatOptions {
  readonly api: AgentApi;
  /** agents are the registered records, by name: the first base of each agent's writes. */
  readonly agents: ReadonlyMap<string, Agent>;
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** HollowHeartbeats keeps every hollow agent of the process Ready. */
export class HollowHeartbeats {
  readonly #o: HollowHeartbeatOptions;
  readonly #copies: Map<string, Agent>;
  readonly #timers: TimerQueue;
  readonly #dueAt = new Map<string, number>();
  readonly #inFlight = new Set<string>();
  readonly #failing = new Set<string>();
  readonly #limiter: Limiter;
  #beats = 0;

  constructor(o: HollowHeartbeatOptions) {
    this.#o = o;
    this.#copies = new Map(o.agents);
    this.#timers = new TimerQueue(o.clock);
    this.#limiter = new Limiter(o.concurrency);
  }

  /** beats is the number of heartbeats written so far. */
  get beats(): number {
    return this.#beats;
  }

  /** failing is the number of agents whose last heartbeat failed. */
  get failing(): number {
    return this.#failing.size;
  }

  /** run beats for every agent on the spread schedule until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, intervalMs } = this.#o;
    const names = [...this.#copies.keys()];
    const start = clock.now();
    names.forEach((name, i) => this.#schedule(name, start + (i * intervalMs) / names.length));
    const beating = new Set<Promise<void>>();
    await this.#timers.run(signal, name => {
      const due = this.#dueAt.get(name) ?? clock.now();
      let next = due + intervalMs;
      if (next <= clock.now()) next = clock.now() + intervalMs; // fell behind: no burst to catch up
      this.#schedule(name, next);
      if (this.#inFlight.has(name)) return;
      const p = this.#beat(name, signal).finally(() => beating.delete(p));
      beating.add(p);
    });
    await Promise.all(beating);
  }

  /** markAllStopped records a graceful stop of every agent (Ready=False/AgentStopped). */
  async markAllStopped(): Promise<void> {
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

  #schedule(name: string, at: number): void {
    this.#dueAt.set(name, at);
    this.#timers.at(name, at);
  }

  async #beat(name: string, signal: AbortSignal): Promise<void> {
    const base = this.#copies.get(name);
    if (base === undefined) return;
    this.#inFlight.add(name);
    try {
      const written = await this.#limiter.run(() => {
        const now = new Date(this.#o.clock.now()).toISOString();
        return writeAgentStatus({
          api: this.#o.api,
          base,
          change: s => withHeartbeat(s, now),
          signal,
        });
      });
      this.#copies.set(name, written);
      this.#beats++;
      if (this.#failing.delete(name) && this.#failing.size === 0) {
        this.#o.logger.info({}, 'hollow heartbeats resumed');
      }
    } catch (err) {
      if (signal.aborted) return;
      if (this.#failing.size === 0) {
        this.#o.logger.warn({ agent: name, err }, 'hollow heartbeats failing; retrying');
      }
      this.#failing.add(name);
      this.#o.logger.debug({ agent: name, err }, 'heartbeat failed');
    } finally {
      this.#inFlight.delete(name);
    }
  }
}
