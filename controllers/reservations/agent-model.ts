// The agent as the offer engine plans against it: the Agent's own resources with the applied
// Reservations and Volumes on top (an operator's change not yet accepted is left out), what its
// tasks hold and what is offered. Offer answers and operator changes both plan against it.
import type { Agent, Offer, Reservation, Task, Volume } from '../../core/types/index.ts';
import type { ByAgentIndex } from '../agents/by-agent-index.ts';
import type { AgentState } from '../offers/engine/index.ts';
import { agentStateFrom } from '../offers/engine/index.ts';
import { appliedReservation, appliedVolume } from './applied.ts';

/** AgentRecords reads the objects bound to one agent. */
export interface AgentRecords {
  reservations(agent: string): readonly Reservation[];
  volumes(agent: string): readonly Volume[];
  tasks(agent: string): readonly Task[];
  offers(agent: string): readonly Offer[];
}

/** AgentIndexes are by-agent indexes of the kinds an agent's model is made of. */
export interface AgentIndexes {
  readonly reservations: ByAgentIndex<Reservation>;
  readonly volumes: ByAgentIndex<Volume>;
  readonly tasks: ByAgentIndex<Task>;
  readonly offers: ByAgentIndex<Offer>;
}

/** indexedRecords reads AgentRecords from by-agent indexes. */
export function indexedRecords(ix: AgentIndexes): AgentRecords {
  return {
    reservations: a => ix.reservations.list(a),
    volumes: a => ix.volumes.list(a),
    tasks: a => ix.tasks.list(a),
    offers: a => ix.offers.list(a),
  };
}

/** agentModel builds the agent's state from its applied records, tasks and offers. */
export function agentModel(agent: Agent, records: AgentRecords): AgentState {
  const name = agent.metadata.name ?? '';
  return agentStateFrom({
    agent,
    reservations: records.reservations(name).flatMap(r => appliedReservation(r) ?? []),
    volumes: records.volumes(name).flatMap(v => appliedVolume(v) ?? []),
    tasks: records.tasks(name),
    offers: records.offers(name),
  });
}
