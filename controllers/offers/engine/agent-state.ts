// Building an AgentState from API objects: the agent's configured resources with its Reservation
// and Volume records applied (Mesos's checkpointed resources), what its tasks hold, what is offered.
import type { Resource } from '../../../core/resources/index.ts';
import {
  ResourceParseError,
  Resources,
  parseResourceList,
  parseResourceMap,
  parseResourceSpec,
} from '../../../core/resources/index.ts';
import type { AgentHealthKind } from '../../../core/framework/index.ts';
import { holdsResources } from '../../../core/framework/index.ts';
import type { Agent, Offer, Reservation, Task, Volume } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { applyConversions, reserveConversion, stripVolume } from './conversions.ts';
import type {
  AgentConnectivity,
  AgentState,
  ReservationView,
  TaskUse,
  VolumeView,
} from './types.ts';

/** AgentObjects are the API objects an AgentState is built from (others' are ignored). */
export interface AgentObjects {
  readonly agent: Agent;
  readonly reservations: readonly Reservation[];
  readonly volumes: readonly Volume[];
  readonly tasks: readonly Task[];
  readonly offers: readonly Offer[];
}

function parsed<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof ResourceParseError) return undefined;
    throw e;
  }
}

function connectivity(agent: Agent): AgentConnectivity {
  if (agent.spec.gone === true) return 'removed';
  const unreachable = agent.status?.conditions?.some(
    c => c.type === 'Unreachable' && c.status === 'True',
  );
  return unreachable === true ? 'disconnected' : 'connected';
}

// depth orders reservations so that the one a refinement sits on is applied before it.
function depth(v: ReservationView): number {
  return Math.max(0, ...v.resources.toArray().map(r => r.reservations.length));
}

function reservationViews(list: readonly Reservation[], agent: string): ReservationView[] {
  return list
    .filter(r => r.spec.agent === agent)
    .flatMap(r => {
      const resources = parsed(() => parseResourceList(r.spec.resources).unallocate());
      if (resources === undefined) return [];
      const rv = r.metadata.resourceVersion;
      const base = { name: r.metadata.name ?? '', role: r.spec.role, resources };
      return [rv === undefined ? base : { ...base, resourceVersion: rv }];
    })
    .sort((a, b) => depth(a) - depth(b) || (a.name < b.name ? -1 : 1));
}

function volumeViews(list: readonly Volume[], agent: string): VolumeView[] {
  return list
    .filter(v => v.spec.agent === agent)
    .flatMap(v => {
      const one = parsed(() =>
        Resources.of(parseResourceSpec(v.spec.resource, 'resource')).unallocate(),
      );
      const resource: Resource | undefined = one?.toArray()[0];
      if (resource === undefined) return [];
      const rv = v.metadata.resourceVersion;
      const base = { name: v.metadata.name ?? '', resource };
      return [rv === undefined ? base : { ...base, resourceVersion: rv }];
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

// healthOf is the agent's health as holdsResources reads it (only `gone` matters there).
function healthOf(connectivity: AgentConnectivity): AgentHealthKind {
  switch (connectivity) {
    case 'connected':
      return 'reachable';
    case 'disconnected':
      return 'unreachable';
    case 'removed':
      return 'gone';
    default:
      return assertNever(connectivity, 'agent connectivity');
  }
}

// taskUses are the tasks that still hold resources on the agent (holdsResources): a provisional
// TASK_LOST or a TASK_UNREACHABLE task may still run there until the agent is marked gone.
function taskUses(tasks: readonly Task[], agent: string, health: AgentHealthKind): TaskUse[] {
  return tasks.flatMap(t => {
    if (t.spec.agent !== agent || !holdsResources(t, health)) return [];
    const resources = parsed(() => parseResourceList(t.spec.allocatedResources ?? []).unallocate());
    const ns = t.metadata.namespace ?? '';
    const use = { name: `${ns}/${t.metadata.name ?? ''}`, resources: resources ?? Resources.EMPTY };
    return [t.spec.offer === undefined ? use : { ...use, offer: `${ns}/${t.spec.offer}` }];
  });
}

/**
 * agentStateFrom builds the agent's state: its unreserved and static resources; each Reservation
 * applied (shallow stacks first, so a refinement finds what it refines) and then each Volume;
 * a record whose resources are not there, or do not parse, is left out of both the total and
 * the views, as never applied. Tasks hold what holdsResources says: nothing once their state is
 * final or they only report a rejection, and nothing at all on an agent marked gone.
 */
export function agentStateFrom(objects: AgentObjects): AgentState {
  const { agent } = objects;
  const name = agent.metadata.name ?? '';
  let total =
    parsed(() =>
      parseResourceMap(agent.spec.resources ?? {}).add(
        parseResourceList(agent.spec.additionalResources ?? []),
      ),
    ) ?? Resources.EMPTY;
  const reservations: ReservationView[] = [];
  for (const view of reservationViews(objects.reservations, name)) {
    const applied = applyConversions(total, [reserveConversion(view.resources)]);
    if (!applied.ok) continue;
    total = applied.value;
    reservations.push(view);
  }
  const volumes: VolumeView[] = [];
  for (const view of volumeViews(objects.volumes, name)) {
    const conversion = {
      consumed: Resources.of(stripVolume(view.resource)),
      converted: Resources.of(view.resource),
    };
    const applied = applyConversions(total, [conversion]);
    if (!applied.ok) continue;
    total = applied.value;
    volumes.push(view);
  }
  const offers = objects.offers.filter(o => o.spec.agent === name);
  const reach = connectivity(agent);
  return {
    name,
    capabilities: agent.spec.capabilities ?? [],
    connectivity: reach,
    total,
    reservations,
    volumes,
    tasks: taskUses(objects.tasks, name, healthOf(reach)),
    offered: Resources.sum(
      offers.map(
        o => parsed(() => parseResourceList(o.spec.resources).unallocate()) ?? Resources.EMPTY,
      ),
    ),
  };
}
