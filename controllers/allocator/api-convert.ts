// Corral objects to model inputs, and decisions to Offer objects. Pure functions: the adapter
// (api-adapter.ts) decides when to call them.
import { holdsResources } from '../../core/framework/index.ts';
import type { Resource, ResourceQuantities } from '../../core/resources/index.ts';
import {
  Resources,
  makeResource,
  parseLimits,
  parseQuantities,
  parseResourceList,
  parseResourceMap,
  parseResourceSpec,
  renderQuantities,
  renderResourceList,
} from '../../core/resources/index.ts';
import type {
  Agent,
  Framework,
  Offer,
  Quota,
  Reservation,
  Task,
  Volume,
} from '../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../core/types/index.ts';
import type { OfferDecision } from './decisions.ts';
import type { AgentInit } from './model/agent.ts';
import type { FrameworkInit } from './model/framework.ts';
import type { OfferInit, UsageInit } from './model/records.ts';
import type { RoleQuota } from './model/role-tree.ts';

/** frameworkKey identifies a framework across namespaces: `namespace/name`. */
export const frameworkKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** splitKey reads `namespace/name` back. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** objectKey is `namespace/name` of any namespaced object. */
export const objectKey = (o: { metadata: { namespace?: string; name?: string } }): string =>
  `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

const condition = (conds: readonly { type: string; status: string }[] | undefined, type: string) =>
  conds?.find(c => c.type === type)?.status;

/**
 * agentOffersOn: an agent is offered unless cordoned (`unschedulable`), draining, gone,
 * Unreachable, or reported not Ready; an agent with no conditions yet is offered.
 */
export function agentOffersOn(agent: Agent): boolean {
  const { spec, status } = agent;
  if (spec.unschedulable === true || spec.drain !== undefined || spec.gone === true) return false;
  if (status?.drainState !== undefined) return false;
  const conds = status?.conditions;
  return condition(conds, 'Unreachable') !== 'True' && condition(conds, 'Ready') !== 'False';
}

function withoutPersistence(volume: Resource): Resource {
  const source = volume.disk?.source;
  return makeResource({
    name: volume.name,
    value: volume.value,
    reservations: volume.reservations,
    revocable: volume.revocable,
    ...(volume.providerId === undefined ? {} : { providerId: volume.providerId }),
    ...(source === undefined ? {} : { disk: { source } }),
  });
}

/**
 * agentTotal is everything an agent has: its unreserved map and list resources, the revocable
 * estimate, then each Reservation carving reserved resources out of what it reserved from (its
 * stacks minus their top entry) and each Volume turning reserved disk into a volume. A
 * Reservation or Volume whose source is not on the agent (stale, or not yet applied) is skipped,
 * so a bad object cannot make resources appear.
 */
export function agentTotal(
  agent: Agent,
  reservations: Iterable<Reservation>,
  volumes: Iterable<Volume>,
): Resources {
  let total = parseResourceMap(agent.spec.resources ?? {}, 'spec.resources').add(
    parseResourceList(agent.spec.additionalResources ?? [], 'spec.additionalResources'),
  );
  const estimate = parseQuantities(
    agent.status?.revocableEstimate ?? {},
    'status.revocableEstimate',
  );
  for (const [name, scalar] of estimate) {
    total = total.add(makeResource({ name, value: { type: 'SCALAR', scalar }, revocable: true }));
  }
  for (const r of reservations) {
    const reserved = parseResourceList(r.spec.resources, 'spec.resources');
    const source = reserved.popReservation();
    if (total.contains(source)) total = total.subtract(source).add(reserved);
  }
  for (const v of volumes) {
    const volume = parseResourceSpec(v.spec.resource, 'spec.resource');
    const source = Resources.of(withoutPersistence(volume));
    if (total.contains(source)) total = total.subtract(source).add(volume);
  }
  return total;
}

/** agentInit turns an Agent (with its reservations and volumes) into the model's input. */
export function agentInit(
  agent: Agent,
  reservations: Iterable<Reservation>,
  volumes: Iterable<Volume>,
): AgentInit {
  const name = agent.metadata.name ?? '';
  return {
    id: name,
    hostname: agent.spec.hostname,
    total: agentTotal(agent, reservations, volumes),
    attributes: agent.spec.attributes ?? {},
    capabilities: agent.spec.capabilities ?? [],
    ...(agent.spec.faultDomain === undefined ? {} : { region: agent.spec.faultDomain.region }),
    active: agentOffersOn(agent),
  };
}

/** frameworkInit turns a Framework into the model's input; it is active unless `Active` is False. */
export function frameworkInit(fw: Framework): FrameworkInit {
  const min = new Map<string, readonly ResourceQuantities[]>();
  for (const f of fw.spec.offerFilters ?? []) {
    if (f.minAllocatableResources === undefined) continue;
    min.set(
      f.role,
      f.minAllocatableResources.map((q, i) => parseQuantities(q, `minAllocatableResources[${i}]`)),
    );
  }
  return {
    id: frameworkKey(fw.metadata.namespace ?? '', fw.metadata.name ?? ''),
    roles: fw.spec.roles,
    capabilities: fw.spec.capabilities ?? [],
    suppressedRoles: fw.spec.suppressedRoles ?? [],
    minAllocatable: min,
    active: condition(fw.status?.conditions, 'Active') !== 'False',
  };
}

/** quotaOf reads a Quota's guarantees and limits. */
export function quotaOf(q: Quota): RoleQuota {
  return {
    guarantees: parseQuantities(q.spec.guarantees ?? {}, 'spec.guarantees'),
    limits: parseLimits(q.spec.limits ?? {}, 'spec.limits'),
  };
}

/**
 * taskUsage is what a task holds: its `allocatedResources` (the exact offered resources), or
 * failing that its requested map; nothing once holdsResources says so (a final state, or a
 * record that only reports a rejected launch). Unreachable and unknown tasks and a provisional
 * TASK_LOST keep holding, so nothing they may still use is offered twice.
 */
export function taskUsage(task: Task): UsageInit | undefined {
  // The agent is not read here: a gone agent leaves the model with all it holds (TotalsIndex).
  if (!holdsResources(task, 'unknown')) return undefined;
  const namespace = task.metadata.namespace ?? '';
  const resources =
    task.spec.allocatedResources === undefined
      ? parseResourceMap(task.spec.resources, 'spec.resources')
      : parseResourceList(task.spec.allocatedResources, 'spec.allocatedResources').unallocate();
  return {
    id: objectKey(task),
    framework: frameworkKey(namespace, task.spec.framework),
    role: task.spec.role,
    agent: task.spec.agent,
    resources,
    ...(task.spec.offer === undefined ? {} : { offer: `${namespace}/${task.spec.offer}` }),
  };
}

/** offerInit reads an existing Offer for adoption by a rebuilt model. */
export function offerInit(offer: Offer, now: number): OfferInit {
  const namespace = offer.metadata.namespace ?? '';
  const created = Date.parse(offer.metadata.creationTimestamp ?? '');
  const expires = Date.parse(offer.spec.expirationTimestamp ?? '');
  return {
    id: objectKey(offer),
    framework: frameworkKey(namespace, offer.spec.framework),
    role: offer.spec.role,
    agent: offer.spec.agent,
    resources: parseResourceList(offer.spec.resources, 'spec.resources').unallocate(),
    createdAt: Number.isNaN(created) ? now : created,
    ...(Number.isNaN(expires) ? {} : { expiresAt: expires }),
    answered: offer.spec.response !== undefined,
  };
}

/**
 * offerName is an Offer's deterministic name: the agent, the role as a DNS-safe slug, and the
 * model's sequence number qualified by the epoch the allocator started in (so a new leader never
 * reuses a name). A retried create of the same decision hits the same name.
 */
export function offerName(agent: string, role: string, epoch: number, seq: number): string {
  return `${offerNamePrefix(agent, role, epoch)}${seq.toString(36)}`;
}

/** offerNamePrefix is everything of `offerName` but the sequence number. */
export function offerNamePrefix(agent: string, role: string, epoch: number): string {
  const head = agent.slice(0, 120).replace(/[^a-z0-9]+$/, '');
  const slug =
    role
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'any';
  return `${head}-${slug}-${epoch.toString(36)}-`;
}

/** AgentFacts are the agent details an Offer carries for placement. */
export interface AgentFacts {
  readonly hostname?: string;
  readonly attributes?: Record<string, string>;
  readonly faultDomain?: { region: string; zone: string };
}

/** offerObject renders a decision as the Offer to create in the framework's namespace. */
export function offerObject(d: OfferDecision, agent: AgentFacts | undefined): Offer {
  const { namespace, name } = splitKey(d.offerId);
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name, namespace },
    spec: {
      framework: splitKey(d.framework).name,
      agent: d.agent,
      ...(agent?.hostname === undefined ? {} : { hostname: agent.hostname }),
      role: d.role,
      resources: renderResourceList(d.resources.allocate(d.role)),
      quantities: renderQuantities(d.resources.scalars().toQuantities()),
      ...(agent?.attributes === undefined ? {} : { attributes: agent.attributes }),
      ...(agent?.faultDomain === undefined ? {} : { faultDomain: agent.faultDomain }),
      ...(d.expiresAt === undefined
        ? {}
        : { expirationTimestamp: new Date(d.expiresAt).toISOString() }),
    },
  };
}
