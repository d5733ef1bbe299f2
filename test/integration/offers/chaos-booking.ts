// No resource double-booked, read from the records alone: an agent's total is its own resources
// with its Reservation and Volume records applied (each must find what it converts), and what its
// open offers and the tasks that may still run hold must fit in that total. A shared volume is
// held once however many tasks use it; a non-shared one by one task at most. Answered offers are
// left out: their resources are being turned into the records the answer makes, counted there.
import type { Resource } from '../../../core/resources/index.ts';
import {
  Resources,
  makeResource,
  parseResourceList,
  parseResourceMap,
  parseResourceSpec,
} from '../../../core/resources/index.ts';
import type { Agent, Reservation, Volume } from '../../../core/types/index.ts';
import type { Snapshot } from './chaos-snapshot.ts';
import { holds } from './chaos-states.ts';

const list = (items: Parameters<typeof parseResourceList>[0]): Resources =>
  parseResourceList(items).unallocate();

// the reserved disk a volume was made of: the same disk without persistence or mount
function diskOf(v: Resource): Resource {
  const source = v.disk?.source;
  return makeResource({
    name: v.name,
    value: v.value,
    reservations: v.reservations,
    revocable: v.revocable,
    ...(v.providerId === undefined ? {} : { providerId: v.providerId }),
    ...(source === undefined ? {} : { disk: { source } }),
  });
}

const byName = <T extends { metadata: { name?: string } }>(a: T, b: T): number =>
  (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;

/** agentTotal applies the agent's records to its resources; a record that finds nothing is a problem. */
export function agentTotal(
  agent: Agent,
  reservations: readonly Reservation[],
  volumes: readonly Volume[],
): { total: Resources; problems: string[] } {
  const name = agent.metadata.name ?? '';
  const problems: string[] = [];
  let total = parseResourceMap(agent.spec.resources ?? {}).add(
    list(agent.spec.additionalResources ?? []),
  );
  for (const r of [...reservations].sort(byName)) {
    const rs = list(r.spec.resources);
    const source = rs.popReservation();
    if (total.contains(source)) total = total.subtract(source).add(rs);
    else
      problems.push(
        `${name}: Reservation ${r.metadata.name ?? ''} (${rs.toString()}) is not in ${total.toString()}`,
      );
  }
  for (const v of [...volumes].sort(byName)) {
    const vol = Resources.of(parseResourceSpec(v.spec.resource, 'resource')).unallocate();
    const source = Resources.from(vol.toArray().map(diskOf));
    if (total.contains(source)) total = total.subtract(source).add(vol);
    else
      problems.push(
        `${name}: Volume ${v.metadata.name ?? ''} (${vol.toString()}) is not in ${total.toString()}`,
      );
  }
  return { total, problems };
}

/** Books are what one agent has and what holds it. */
interface Books {
  readonly name: string;
  readonly total: Resources;
  /** held: open offers and live tasks together, a shared volume once */
  readonly held: Resources;
  readonly holders: readonly string[];
  readonly problems: readonly string[];
}

function books(s: Snapshot, agent: Agent): Books {
  const name = agent.metadata.name ?? '';
  const mine = <T extends { spec: { agent: string } }>(l: readonly T[]) =>
    l.filter(o => o.spec.agent === name);
  const { total, problems } = agentTotal(agent, mine(s.reservations), mine(s.volumes));
  let nonShared = Resources.EMPTY;
  let shared = Resources.EMPTY;
  const holders: string[] = [];
  const hold = (who: string, rs: Resources) => {
    holders.push(`${who}: ${rs.toString()}`);
    nonShared = nonShared.add(rs.nonShared());
    for (const r of rs.shared().toArray()) if (!shared.contains(r)) shared = shared.add(r);
  };
  for (const o of mine(s.offers))
    if (o.spec.response === undefined && o.metadata.deletionTimestamp === undefined)
      hold(`offer ${o.metadata.name ?? ''}`, list(o.spec.resources));
  const volumeUser = new Map<string, string>();
  for (const t of mine(s.tasks)) {
    if (!holds(t)) continue;
    const rs = list(t.spec.allocatedResources ?? []);
    hold(`task ${t.metadata.name ?? ''} (${t.status?.state ?? 'no state'})`, rs);
    for (const v of rs.persistentVolumes().nonShared().toArray()) {
      const id = v.disk?.persistence?.id ?? '';
      const other = volumeUser.get(id);
      if (other !== undefined)
        problems.push(`${name}: volume ${id} used by both ${other} and ${t.metadata.name ?? ''}`);
      volumeUser.set(id, t.metadata.name ?? '');
    }
  }
  return { name, total, held: nonShared.add(shared), holders, problems };
}

const by = (b: Books) => `by\n    ${b.holders.join('\n    ')}`;

/** bookingProblems lists every agent whose records, offers and live tasks do not add up. */
export function bookingProblems(s: Snapshot): string[] {
  return s.agents.flatMap(agent => {
    const b = books(s, agent);
    if (b.total.contains(b.held)) return b.problems;
    const over = `${b.name} is double-booked: ${b.held.toString()} held of ${b.total.toString()}`;
    return [...b.problems, `${over}, ${by(b)}`];
  });
}

/**
 * idleProblems: at rest, everything of a running agent that no task holds is offered (to the
 * run's only framework), no more and no less: nothing leaked, nothing booked twice.
 */
export function idleProblems(s: Snapshot, running: ReadonlySet<string>): string[] {
  return s.agents.flatMap(agent => {
    if (!running.has(agent.metadata.name ?? '')) return [];
    const b = books(s, agent);
    if (b.total.equals(b.held)) return [];
    const conditions = (agent.status?.conditions ?? []).map(c => `${c.type}=${c.status}`);
    const has = `${b.name} (${conditions.join(', ')}) has ${b.total.toString()}`;
    return [`${has}, but ${b.held.toString()} is offered or used, ${by(b)}`];
  });
}
