// Registration of a fleet of hollow agents through the real agent's registerAgent (create, or
// update under the reconfiguration policy), a bounded number at a time so N agents starting
// together do not hit the API server with N creates at once. A failure the API may get over
// (no answer, 429, 5xx) is retried with backoff; a refusal (RegistrationRefusedError) or any
// other error fails the start, as it fails a real agent's.
import type { Logger } from 'pino';
import { Backoff, ClientError } from '../../core/client/index.ts';
import type { Agent, AgentSpec } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { AgentApi } from '../registration/agent-status.ts';
import { registerAgent } from '../registration/register.ts';
import { Limiter } from './limiter.ts';

/** FleetRegistration says what to register and how many at a time. */
export interface FleetRegistration {
  readonly api: AgentApi;
  readonly names: readonly string[];
  /** spec is the Agent spec of one agent. */
  readonly spec: (name: string) => AgentSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly concurrency: number;
  readonly clock: Clock;
  /** logger gets registerAgent's line per agent; give a quiet one for large fleets. */
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** attempts per agent before the start fails (5). */
  readonly attempts?: number;
}

/** isRetryable tells a failure the API server may get over from one that will repeat. */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof ClientError)) return false;
  return e.reason === 'Transport' || e.code === 429 || e.code >= 500;
}

async function registerOne(o: FleetRegistration, name: string): Promise<Agent> {
  const backoff = new Backoff({ initialMs: 200, maxMs: 5_000, jitter: 0.2 });
  const attempts = o.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerAgent({
        api: o.api,
        name,
        spec: o.spec(name),
        annotations: {},
        labels: o.labels,
        clock: o.clock,
        logger: o.logger.child({ agent: name }),
        signal: o.signal,
      });
    } catch (e) {
      if (o.signal.aborted || attempt >= attempts || !isRetryable(e)) throw e;
      await o.clock.sleep(backoff.next(), o.signal);
    }
  }
}

/** registerFleet registers every agent and returns each record as stored, by name. */
export async function registerFleet(o: FleetRegistration): Promise<Map<string, Agent>> {
  const limiter = new Limiter(o.concurrency);
  const failed = new AbortController();
  const signal = AbortSignal.any([o.signal, failed.signal]);
  const registered = new Map<string, Agent>();
  let cause: unknown;
  await Promise.all(
    o.names.map(name =>
      limiter.run(async () => {
        if (signal.aborted) return; // the start failed already: register no more
        try {
          registered.set(name, await registerOne({ ...o, signal }, name));
        } catch (e) {
          // the first failure is the cause; the others are its aborts
          if (!failed.signal.aborted) cause = e;
          failed.abort(e);
        }
      }),
    ),
  );
  if (failed.signal.aborted) throw cause;
  o.signal.throwIfAborted();
  return registered;
}
