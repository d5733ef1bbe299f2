// The agents of a chaos run: each a hollow agent process of its own (the real agent's
// registration, heartbeats, Task state machine and Operation confirmations, without containers),
// so one can be lost (its process stopped: heartbeats end), brought back (started again: it
// re-registers and reports its tasks), or marked gone by an operator (and decommissioned).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Client } from '../../../core/client/index.ts';
import { corralKinds, isConflict } from '../../../core/client/index.ts';
import type { RunningHollowAgents } from '../../../agent/hollow/main.ts';
import { startHollowAgents } from '../../../agent/hollow/main.ts';
import { hollowName } from '../../../agent/hollow/options.ts';
import { HEARTBEAT_MS } from './chaos-controllers.ts';
import type { Fate } from './chaos-states.ts';
import { logger } from './cluster.ts';

/** RESOURCES are each agent's. */
export const RESOURCES = 'cpus:4;mem:1024;disk:1024;ports:[31000-31009]';

/** ChaosAgents are a run's agents and what happened to each. */
export class ChaosAgents {
  readonly names: readonly string[];
  readonly #prefixes: readonly string[];
  readonly #kubeConfig: KubeConfig;
  readonly #fates = new Map<string, Fate>();
  readonly #running = new Map<string, RunningHollowAgents>();

  constructor(kubeConfig: KubeConfig, prefix: string, count: number) {
    this.#kubeConfig = kubeConfig;
    this.#prefixes = Array.from({ length: count }, (_, i) => `${prefix}a${i}`);
    this.names = this.#prefixes.map(p => hollowName(p, 0));
  }

  /** fates says what happened last to each agent. */
  get fates(): ReadonlyMap<string, Fate> {
    return this.#fates;
  }

  /** start starts every agent. */
  async start(): Promise<void> {
    await Promise.all(this.names.map((_, i) => this.#up(i)));
  }

  /** lose stops agent i's process, or another running one's; the name, if any ran. */
  async lose(i: number): Promise<string | undefined> {
    const j = this.#pick(i, 'up');
    const name = this.names[j];
    if (name === undefined) return undefined;
    this.#fates.set(name, 'lost');
    await this.#down(name);
    return name;
  }

  /** comeBack starts lost agent i's process again, or another lost one's; the name, if any. */
  async comeBack(i: number): Promise<string | undefined> {
    const j = this.#pick(i, 'lost');
    if (this.names[j] === undefined) return undefined;
    await this.#up(j);
    return this.names[j];
  }

  /** markGone is an operator's MARK_AGENT_GONE; the node is shut down first. */
  async markGone(i: number, client: Client): Promise<boolean> {
    const name = this.names[i] ?? '';
    if (this.#fates.get(name) === 'gone') return false;
    this.#fates.set(name, 'gone');
    await this.#down(name);
    const agents = client.for(corralKinds.agents);
    for (;;) {
      const a = await agents.get({ name });
      try {
        await agents.update({ ...a, spec: { ...a.spec, gone: true } });
        return true;
      } catch (e) {
        if (!isConflict(e)) throw e; // a heartbeat or the health controller wrote meanwhile
      }
    }
  }

  /** stop stops every process. */
  async stop(): Promise<void> {
    await Promise.all(this.names.map(n => this.#down(n)));
  }

  // #pick is i if that agent's fate is `fate`, else the first agent whose is, else -1
  #pick(i: number, fate: Fate): number {
    if (this.#fates.get(this.names[i] ?? '') === fate) return i;
    return this.names.findIndex(n => this.#fates.get(n) === fate);
  }

  async #up(i: number): Promise<void> {
    const name = this.names[i] ?? '';
    const running = await startHollowAgents({
      kubeConfig: this.#kubeConfig,
      count: 1,
      prefix: this.#prefixes[i] ?? '',
      resources: RESOURCES,
      taskSeconds: 0,
      heartbeatIntervalMs: HEARTBEAT_MS,
      logger,
    });
    this.#running.set(name, running);
    this.#fates.set(name, 'up');
  }

  async #down(name: string): Promise<void> {
    const running = this.#running.get(name);
    this.#running.delete(name);
    await running?.stop();
  }
}
