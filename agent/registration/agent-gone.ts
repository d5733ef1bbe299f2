// An operator marked this agent gone (`spec.gone: true`, Mesos MARK_AGENT_GONE): for good. Mesos
// shuts such an agent down and it kills its tasks; Corral's agent stands down the same way
// (main.ts) once registration or a heartbeat reads the mark, and never writes Ready=True again.

/** AgentGoneError: the Agent record says `spec.gone`; the agent must stand down. */
export class AgentGoneError extends Error {
  override readonly name = 'AgentGoneError';
  readonly agent: string;

  constructor(agent: string) {
    super(`agent ${agent} was marked gone by an operator and cannot come back`);
    this.agent = agent;
  }
}
