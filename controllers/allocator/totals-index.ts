// What the adapter must remember to turn objects that refer to an agent (Reservations, Volumes,
// Tasks) into the agent's total and usage, whatever order their events arrive in.
import type { Agent, Reservation, Task, Volume } from '../../core/types/index.ts';
import type { AgentFacts } from './api-convert.ts';
import { agentInit, objectKey, taskUsage } from './api-convert.ts';
import { appliedReservation, appliedVolume } from '../reservations/applied.ts';
import type { AllocatorTriggers } from './api-adapter.ts';
import type { AllocatorModel } from './model/model.ts';
import type { UsageInit } from './model/records.ts';

type Op = 'add' | 'delete';

function sameUsage(a: UsageInit, b: UsageInit): boolean {
  return (
    a.agent === b.agent &&
    a.role === b.role &&
    a.framework === b.framework &&
    a.resources.equals(b.resources)
  );
}

/**
 * TotalsIndex keeps Agents with their Reservations and Volumes (an agent's total is derived from
 * all three) and every live Task by agent, so a task seen before its agent, or an agent that
 * re-registers after removal, gets its usage counted when the agent arrives.
 */
export class TotalsIndex {
  readonly #model: AllocatorModel;
  readonly #triggers: AllocatorTriggers;
  readonly #agents = new Map<string, Agent>();
  readonly #reservations = new Map<string, Map<string, Reservation>>();
  readonly #volumes = new Map<string, Map<string, Volume>>();
  readonly #tasksByAgent = new Map<string, Map<string, UsageInit>>();
  readonly #tasks = new Map<string, UsageInit>();

  constructor(model: AllocatorModel, triggers: AllocatorTriggers) {
    this.#model = model;
    this.#triggers = triggers;
  }

  /** agent applies an Agent event; an agent marked gone is removed like a deleted one. */
  agent(a: Agent, op: Op): void {
    const name = a.metadata.name ?? '';
    if (op === 'delete' || a.spec.gone === true) {
      this.#agents.delete(name);
      const dropped = this.#model.removeAgent(name);
      // an answered offer is the offer controller's to carry out (for a gone agent, as a drop)
      // and delete: rescinding it would cut its records off halfway
      this.#triggers.rescind(
        dropped
          .filter(r => !r.answered)
          .map(r => ({
            offerId: r.id,
            framework: r.framework,
            agent: r.agent,
            reason: 'agent-removed',
          })),
      );
      return;
    }
    this.#agents.set(name, a);
    this.#apply(name);
  }

  /** reservation applies a Reservation event to its agent's total. */
  reservation(r: Reservation, op: Op): void {
    // only what the agent's model has applied counts: an operator's change the reservation
    // controller refused (or has not planned yet) must not move resources
    const applied = op === 'add' ? appliedReservation(r) : undefined;
    this.#file(this.#reservations, r.spec.agent, r.metadata.name ?? '', applied);
    this.#apply(r.spec.agent);
  }

  /** volume applies a Volume event to its agent's total (as applied, like reservations). */
  volume(v: Volume, op: Op): void {
    const applied = op === 'add' ? appliedVolume(v) : undefined;
    this.#file(this.#volumes, v.spec.agent, v.metadata.name ?? '', applied);
    this.#apply(v.spec.agent);
  }

  #file<T>(
    index: Map<string, Map<string, T>>,
    agent: string,
    name: string,
    obj: T | undefined,
  ): void {
    let byName = index.get(agent);
    if (obj !== undefined) {
      if (byName === undefined) index.set(agent, (byName = new Map<string, T>()));
      byName.set(name, obj);
    } else {
      byName?.delete(name);
      if (byName?.size === 0) index.delete(agent);
    }
  }

  #apply(name: string): void {
    const agent = this.#agents.get(name);
    if (agent === undefined) return;
    const sorted = <T extends { metadata: { name?: string } }>(
      m: Map<string, T> | undefined,
    ): T[] =>
      [...(m?.values() ?? [])].sort((x, y) =>
        (x.metadata.name ?? '') < (y.metadata.name ?? '') ? -1 : 1,
      );
    const known = this.#model.agents.get(name);
    const wasActive = known?.active;
    const init = agentInit(
      agent,
      sorted(this.#reservations.get(name)),
      sorted(this.#volumes.get(name)),
    );
    const more = this.#model.upsertAgent(init);
    if (known === undefined)
      for (const usage of this.#tasksByAgent.get(name)?.values() ?? []) this.#model.launch(usage);
    if (wasActive === true && init.active === false) this.#withdraw(name);
    if (more) this.#triggers.requestAgents([name]);
  }

  /**
   * withdraw rescinds the unanswered offers on an agent that went inactive (Mesos
   * `deactivateSlave` rescinds them). They stay counted until their deletion is observed, so
   * the model never runs ahead of the API; answered ones are left to the offer controller.
   */
  #withdraw(name: string): void {
    const agent = this.#model.agents.get(name);
    if (agent === undefined) return;
    const rescinds = [...agent.offers].flatMap(id => {
      const o = this.#model.offers.get(id);
      return o === undefined || o.answered || o.settling !== undefined
        ? []
        : [
            {
              offerId: o.id,
              framework: o.framework,
              agent: name,
              reason: 'agent-inactive' as const,
            },
          ];
    });
    if (rescinds.length > 0) this.#triggers.rescind(rescinds);
  }

  /** task applies a Task add or update: count what it holds, or release it once it ended. */
  task(t: Task): void {
    const id = objectKey(t);
    const usage = taskUsage(t);
    const before = this.#tasks.get(id);
    if (usage !== undefined && before !== undefined && sameUsage(before, usage)) return;
    if (before !== undefined) this.#forget(id, before);
    if (usage === undefined) return;
    this.#tasks.set(id, usage);
    let byId = this.#tasksByAgent.get(usage.agent);
    if (byId === undefined)
      this.#tasksByAgent.set(usage.agent, (byId = new Map<string, UsageInit>()));
    byId.set(id, usage);
    this.#model.launch(usage);
  }

  /** taskGone applies a Task deletion. */
  taskGone(t: Task): void {
    const id = objectKey(t);
    const before = this.#tasks.get(id);
    if (before !== undefined) this.#forget(id, before);
  }

  #forget(id: string, usage: UsageInit): void {
    this.#tasks.delete(id);
    const byId = this.#tasksByAgent.get(usage.agent);
    byId?.delete(id);
    if (byId?.size === 0) this.#tasksByAgent.delete(usage.agent);
    if (this.#model.release(id)) this.#triggers.requestAgents([usage.agent]);
  }

  /** facts is what an Offer shows of its agent. */
  facts(name: string): AgentFacts | undefined {
    const a = this.#agents.get(name);
    if (a === undefined) return undefined;
    return {
      hostname: a.spec.hostname,
      ...(a.spec.attributes === undefined ? {} : { attributes: a.spec.attributes }),
      ...(a.spec.faultDomain === undefined ? {} : { faultDomain: a.spec.faultDomain }),
    };
  }
}
