// A small cluster for controller scenarios: one agent, one framework, offers answered on it, and a
// driver that runs reconcilers until nothing more is written (the watch events of a real cluster).
import { pino } from 'pino';
import type { Resources } from '../../../../core/resources/index.ts';
import type {
  Agent,
  AgentCapability,
  Framework,
  FrameworkCapability,
  Offer,
  OfferOperation,
} from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import type { OfferControllerOptions } from '../../../../controllers/offers/controller.ts';
import { OfferReconciler } from '../../../../controllers/offers/controller.ts';
import { lookupOf } from '../../../../controllers/offers/index.ts';
import type { Reconciler, Request } from '../../../../controllers/runtime/index.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { ALL_AGENT_CAPS, ROLE, items } from './engine/builders.ts';
import { FakeCluster } from './fake-cluster.ts';

/** silent is a logger that prints nothing (CORRAL_TEST_LOG=debug to see the controllers). */
export const silent = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

/** NS is the framework's namespace; FW its name; AGENT the agent's. */
export const NS = 'fw-ns';
export const FW = 'fw';
export const AGENT = 'agent-1';

/** agentObject is an Agent with these unreserved resources (map form) and capabilities. */
export function agentObject(
  resources: Record<string, string>,
  caps: readonly AgentCapability[] = ALL_AGENT_CAPS,
  name = AGENT,
): Agent {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Agent',
    metadata: { name },
    spec: { hostname: `${name}.example`, resources, capabilities: [...caps] },
  };
}

/** frameworkObject is the answering framework. */
export function frameworkObject(
  caps: readonly FrameworkCapability[] = [
    'MULTI_ROLE',
    'RESERVATION_REFINEMENT',
    'SHARED_RESOURCES',
  ],
  over: Partial<Framework['spec']> = {},
): Framework {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Framework',
    metadata: { name: FW, namespace: NS },
    spec: { roles: [ROLE], capabilities: [...caps], principal: 'principal', ...over },
  };
}

/** answeredOffer is an Offer of `resources` to ROLE, answered with `operations`. */
export function answeredOffer(
  name: string,
  resources: Resources,
  operations: OfferOperation[] | 'decline',
): Offer {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name, namespace: NS },
    spec: {
      framework: FW,
      agent: AGENT,
      role: ROLE,
      resources: items(resources.allocate(ROLE)),
      response:
        operations === 'decline'
          ? { decline: { filters: { refuseSeconds: 5 } } }
          : { accept: { operations } },
    },
  };
}

/** World is a fake cluster with a clock. */
export interface World {
  readonly cluster: FakeCluster;
  readonly clock: FakeClock;
}

/** newWorld makes an empty cluster whose timestamps follow the fake clock. */
export function newWorld(): World {
  const clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
  const cluster = new FakeCluster();
  cluster.now = () => clock.now();
  return { cluster, clock };
}

/** offerOptions wire the offer controller to the fake cluster. */
export function offerOptions(w: World): OfferControllerOptions {
  const c = w.cluster;
  return {
    offers: c.offers.cache,
    frameworks: c.frameworks.cache,
    agents: c.agents.cache,
    lookup: { framework: lookupOf(c.frameworks), agent: lookupOf(c.agents) },
    records: {
      reservations: c.reservations.cache,
      volumes: c.volumes.cache,
      tasks: c.tasks.cache,
      operations: c.operations.cache,
    },
    agentRecords: c.records(),
    offerApi: c.offers,
    apis: {
      reservations: c.reservations,
      volumes: c.volumes,
      tasks: c.tasks,
      operations: c.operations,
    },
    clock: w.clock,
    logger: silent,
  };
}

/** offerReconciler is the offer controller over the fake cluster. */
export function offerReconciler(w: World): OfferReconciler {
  return new OfferReconciler(offerOptions(w));
}

/** Driven is a reconciler and the objects it reconciles. */
export interface Driven {
  readonly reconciler: Reconciler;
  readonly keys: () => readonly Request[];
}

const requestOf = (o: { metadata: { namespace?: string; name?: string } }): Request => ({
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name ?? '',
});

/** keysOf lists requests for every object of a store. */
export function keysOf(list: () => readonly { metadata: { namespace?: string; name?: string } }[]) {
  return (): Request[] => list().map(requestOf);
}

/**
 * drain runs every reconciler over its objects, round after round, until a round writes
 * nothing (what the watch events would do), and returns the number of rounds.
 */
export async function drain(w: World, driven: readonly Driven[], maxRounds = 50): Promise<number> {
  const signal = new AbortController().signal;
  for (let round = 1; round <= maxRounds; round++) {
    const before = w.cluster.writes;
    for (const d of driven) for (const req of d.keys()) await d.reconciler.reconcile(req, signal);
    if (w.cluster.writes === before) return round;
  }
  throw new Error(`still writing after ${maxRounds} rounds`);
}
