// Registration (DESIGN.md flow 1, mesos-features §8.4): create the Agent record, or update the
// one a previous run left, under the reconfiguration policy the API server enforces on every
// update (core/validation `validateAgentUpdate`). A refused update is final: the agent records why
// in the Ready condition and stops, as a Mesos agent fails recovery on an incompatible change. A
// record an operator marked gone refuses the agent for good: AgentGoneError.
// Once the record stands, the agent API's URL goes to `status.apiEndpoint`, where clients
// (`corral task exec|attach|logs`, `corral container`) look it up.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound, ClientError } from '../../core/client/index.ts';
import type { Agent, AgentSpec } from '../../core/types/agent.ts';
import { CORRAL_API_VERSION } from '../../core/types/group.ts';
import type { Clock } from '../../core/util/clock.ts';
import { AgentGoneError } from './agent-gone.ts';
import { LEGACY_AGENT_API_ANNOTATION, registeredSpec } from './agent-spec.ts';
import type { AgentApi } from './agent-status.ts';
import { FIELD_MANAGER, updateAgentStatus, withReady } from './agent-status.ts';

/** RegistrationRefusedError: the API server refused this agent's record. */
export class RegistrationRefusedError extends Error {
  override readonly name = 'RegistrationRefusedError';
}

/** RegisterOptions say what to register and where. */
export interface RegisterOptions {
  readonly api: AgentApi;
  readonly name: string;
  readonly spec: AgentSpec;
  readonly annotations: Readonly<Record<string, string>>;
  /** apiEndpoint is the agent API's base URL for `status.apiEndpoint` (absent: left alone). */
  readonly apiEndpoint?: string;
  /** labels are set on the record, over any it has (absent: the record's are left alone). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

async function refuse(o: RegisterOptions, message: string): Promise<never> {
  const now = new Date(o.clock.now()).toISOString();
  const ready = { type: 'Ready', status: 'False', reason: 'RegistrationRefused', message } as const;
  await updateAgentStatus(o.api, o.name, s => withReady(s, ready, now), o.signal).catch(
    (err: unknown) => o.logger.warn({ err }, 'could not record the refused registration'),
  );
  throw new RegistrationRefusedError(message);
}

function refusal(e: ClientError): string {
  const causes = (e.status?.details?.causes ?? [])
    .map(c => `${c.field ?? ''}: ${c.message ?? ''}`)
    .join('; ');
  return causes === '' ? e.message : causes;
}

/**
 * registerAgent creates or updates the Agent record, then publishes the API endpoint in its
 * status (a second write: status goes through `/status`), and returns the record as stored. It
 * throws RegistrationRefusedError when the API server refuses the record, AgentGoneError when
 * an operator marked the agent gone.
 */
export async function registerAgent(o: RegisterOptions): Promise<Agent> {
  const agent = await upsertAgent(o);
  const endpoint = o.apiEndpoint;
  if (endpoint === undefined || agent.status?.apiEndpoint === endpoint) return agent;
  return updateAgentStatus(o.api, o.name, s => ({ ...s, apiEndpoint: endpoint }), o.signal);
}

// upsertAgent creates the record, or updates spec and metadata of the one a previous run left.
async function upsertAgent(o: RegisterOptions): Promise<Agent> {
  const call = o.signal === undefined ? {} : { signal: o.signal };
  const write = { ...call, fieldManager: FIELD_MANAGER };
  for (;;) {
    let existing: Agent;
    try {
      existing = await o.api.get({ name: o.name }, call);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        const created = await o.api.create(
          {
            apiVersion: CORRAL_API_VERSION,
            kind: 'Agent',
            metadata: {
              name: o.name,
              ...(o.labels === undefined ? {} : { labels: { ...o.labels } }),
              annotations: { ...o.annotations },
            },
            spec: o.spec,
          },
          write,
        );
        o.logger.info({ hostname: o.spec.hostname }, 'agent registered');
        return created;
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        if (err instanceof ClientError && err.reason === 'Invalid') return refuse(o, refusal(err));
        throw err;
      }
    }
    // gone is for good: nothing is written (Ready=False/AgentGone is the health controller's)
    if (existing.spec.gone === true) throw new AgentGoneError(o.name);
    const spec = registeredSpec(existing.spec, o.spec);
    const annotations = Object.fromEntries(
      Object.entries({ ...existing.metadata.annotations, ...o.annotations }).filter(
        ([k]) => k !== LEGACY_AGENT_API_ANNOTATION,
      ),
    );
    const labels = { ...existing.metadata.labels, ...o.labels };
    if (
      isDeepStrictEqual(spec, existing.spec) &&
      isDeepStrictEqual(annotations, existing.metadata.annotations ?? {}) &&
      isDeepStrictEqual(labels, existing.metadata.labels ?? {})
    ) {
      o.logger.info({}, 'agent re-registered, unchanged');
      return existing;
    }
    try {
      const metadata = {
        ...existing.metadata,
        ...(o.labels === undefined ? {} : { labels }),
        annotations,
      };
      const updated = await o.api.update({ ...existing, metadata, spec }, write);
      o.logger.info({}, 'agent re-registered');
      return updated;
    } catch (e) {
      if (isConflict(e)) continue;
      if (e instanceof ClientError && e.reason === 'Invalid') return refuse(o, refusal(e));
      throw e;
    }
  }
}
