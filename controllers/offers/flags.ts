// The flags of the offer-flow controllers (agent health, operations, operator reservations, tasks,
// framework liveness), as `corral controllers` receives them (strings), turned into each
// controller's configuration.
// Names and defaults follow Mesos where it has them (--agent_ping_timeout 15secs,
// --max_agent_ping_timeouts 5).
import { parseDuration } from '../allocator/flags.ts';
import type { AgentHealthConfig } from '../agents/index.ts';
import { agentHealthTimeoutMs } from '../agents/index.ts';
import type { FrameworkControllerConfig } from '../frameworks/index.ts';
import type { OperationControllerConfig } from '../operations/index.ts';
import type { OfferControllerConfig } from './index.ts';
import type { ReservationControllerConfig } from '../reservations/index.ts';
import type { TaskControllerConfig } from '../tasks/index.ts';

/** OfferFlowFlags are the raw values of the flags (all optional; defaults in each controller). */
export interface OfferFlowFlags {
  /** agentPingTimeout: `--agent-ping-timeout`, a duration; 15 s. */
  readonly agentPingTimeout?: string;
  /** maxAgentPingTimeouts: `--max-agent-ping-timeouts`, a count; 5. */
  readonly maxAgentPingTimeouts?: string;
  /**
   * operationRetention: `--operation-retention`, how long acknowledged operations (and the
   * stand-ins of refused launches) stay; 15 m.
   */
  readonly operationRetention?: string;
  /** operationConfirmGrace: `--operation-confirm-grace`, the agent's time for RESERVE; 10 s. */
  readonly operationConfirmGrace?: string;
  /** reservationRetry: `--reservation-retry`, when a refused operator change is retried; 10 s. */
  readonly reservationRetry?: string;
  /** frameworkTimeout: `--framework-timeout`, a framework unrenewed this long is inactive; 30 s. */
  readonly frameworkTimeout?: string;
  /**
   * missingAgentGrace: `--missing-agent-grace`, how long an Agent must have been deleted before
   * the Tasks naming it are settled as gone; 30 s.
   */
  readonly missingAgentGrace?: string;
  /** offerWorkers: `--offer-workers`, answered Offers handled at once; 48. */
  readonly offerWorkers?: string;
}

/** OFFER_FLOW_FLAG_NAMES lists the keys of OfferFlowFlags. */
export const OFFER_FLOW_FLAG_NAMES = [
  'agentPingTimeout',
  'maxAgentPingTimeouts',
  'operationRetention',
  'operationConfirmGrace',
  'reservationRetry',
  'frameworkTimeout',
  'missingAgentGrace',
  'offerWorkers',
] as const satisfies readonly (keyof OfferFlowFlags)[];

/** OfferFlowConfig is each controller's configuration. */
export interface OfferFlowConfig {
  readonly agents: AgentHealthConfig;
  readonly operations: OperationControllerConfig;
  readonly reservations: ReservationControllerConfig;
  readonly frameworks: FrameworkControllerConfig;
  readonly tasks: TaskControllerConfig;
  readonly offers: OfferControllerConfig;
}

function flag<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new RangeError(`--${name}: ${(err as Error).message}`, { cause: err });
  }
}

function duration(name: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : flag(name, () => parseDuration(text));
}

/**
 * countFlag reads a positive whole number given as `--<name>`; undefined when absent. A
 * RangeError names the flag when the text is not one.
 */
export function countFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return flag(name, () => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 1)
      throw new RangeError(`"${text}" is not a positive whole number`);
    return n;
  });
}

// defined drops the absent values, so each controller's defaults apply to them.
function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * offerFlowConfig turns the flags into the controllers' configuration and checks it, so a bad
 * flag fails at start; errors name the flag.
 */
export function offerFlowConfig(f: OfferFlowFlags): OfferFlowConfig {
  const agents: AgentHealthConfig = defined({
    agentPingTimeoutMs: duration('agent-ping-timeout', f.agentPingTimeout),
    maxAgentPingTimeouts: countFlag('max-agent-ping-timeouts', f.maxAgentPingTimeouts),
  });
  flag('agent-ping-timeout', () => agentHealthTimeoutMs(agents));
  const retentionMs = duration('operation-retention', f.operationRetention);
  const frameworkTimeoutMs = duration('framework-timeout', f.frameworkTimeout);
  if (frameworkTimeoutMs !== undefined && !(frameworkTimeoutMs > 0))
    throw new RangeError('--framework-timeout: must be more than 0');
  return {
    agents,
    operations: defined({
      retentionMs,
      confirmGraceMs: duration('operation-confirm-grace', f.operationConfirmGrace),
    }),
    reservations: defined({ retryMs: duration('reservation-retry', f.reservationRetry) }),
    frameworks: defined({ timeoutMs: frameworkTimeoutMs }),
    // a refused launch's stand-in Task is feedback like an operation's, kept as long
    tasks: defined({
      standInRetentionMs: retentionMs,
      missingAgentGraceMs: duration('missing-agent-grace', f.missingAgentGrace),
    }),
    offers: defined({ workers: countFlag('offer-workers', f.offerWorkers) }),
  };
}

/**
 * splitOfferFlowFlags separates these flags from the others of a command (the allocator's), so
 * each part reads only its own.
 */
export function splitOfferFlowFlags<T extends OfferFlowFlags>(
  all: T,
): { readonly offerFlow: OfferFlowFlags; readonly others: Omit<T, keyof OfferFlowFlags> } {
  const mine = new Set<string>(OFFER_FLOW_FLAG_NAMES);
  const entries = Object.entries(all);
  return {
    offerFlow: Object.fromEntries(entries.filter(([k]) => mine.has(k))),
    others: Object.fromEntries(entries.filter(([k]) => !mine.has(k))) as Omit<
      T,
      keyof OfferFlowFlags
    >,
  };
}
