// What a new leader's term starts from. The informers keep running between terms, but their
// caches may lag the API (a predecessor's last offers, a task created a moment ago), and a model
// built from a lagging cache could offer resources twice. So each term subscribes to the
// informers (holding their events), lists every kind afresh (quorum reads), rebuilds from those
// lists, and then applies the held and later events through a guard that drops any event older
// than what the lists already showed.
import type { Client, Kind, ObjectList, SharedInformer } from '../../core/client/index.ts';
import { corralKinds } from '../../core/client/index.ts';
import type {
  Agent,
  Framework,
  Offer,
  Quota,
  Reservation,
  Role,
  Task,
  Volume,
} from '../../core/types/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import type { AllocatorApiAdapter, ApiSnapshot } from './api-adapter.ts';
import { Relay, guarded } from './event-guard.ts';

/** SourceKinds maps each followed kind's snapshot field to its object type. */
interface SourceKinds {
  agents: Agent;
  reservations: Reservation;
  volumes: Volume;
  frameworks: Framework;
  roles: Role;
  quotas: Quota;
  tasks: Task;
  offers: Offer;
}

type Field = keyof SourceKinds;

/** AllocatorSources are the shared informers the allocator follows, one per kind. */
export type AllocatorSources = { readonly [F in Field]: SharedInformer<SourceKinds[F]> };

/** FreshLists are one term's lists: the objects and the revision each list was read at. */
export type FreshLists = { readonly [F in Field]: ObjectList<SourceKinds[F]> };

/** InformerSource is what `allocatorSources` needs: the Manager's `informer`. */
export interface InformerSource {
  informer<T extends KubeObject>(kind: Kind<T>): SharedInformer<T>;
}

/** allocatorSources asks the manager for the informers (all namespaces) of every followed kind. */
export function allocatorSources(m: InformerSource): AllocatorSources {
  return {
    agents: m.informer(corralKinds.agents),
    reservations: m.informer(corralKinds.reservations),
    volumes: m.informer(corralKinds.volumes),
    frameworks: m.informer(corralKinds.frameworks),
    roles: m.informer(corralKinds.roles),
    quotas: m.informer(corralKinds.quotas),
    tasks: m.informer(corralKinds.tasks),
    offers: m.informer(corralKinds.offers),
  };
}

/**
 * listFresh lists every followed kind. Offers go first: an offer accepted after its list has
 * its tasks in the later task list (counted twice for a moment, which only withholds), whereas
 * the other order could miss both the offer and its tasks and offer their resources again.
 */
export async function listFresh(client: Client, signal: AbortSignal): Promise<FreshLists> {
  const list = <T extends KubeObject>(kind: Kind<T>): Promise<ObjectList<T>> =>
    client.for(kind).list({ signal });
  const offers = await list(corralKinds.offers);
  const [agents, reservations, volumes, frameworks, roles, quotas, tasks] = await Promise.all([
    list(corralKinds.agents),
    list(corralKinds.reservations),
    list(corralKinds.volumes),
    list(corralKinds.frameworks),
    list(corralKinds.roles),
    list(corralKinds.quotas),
    list(corralKinds.tasks),
  ]);
  return { agents, reservations, volumes, frameworks, roles, quotas, tasks, offers };
}

/** snapshotOf is the lists' objects in the shape `adapter.rebuild` takes. */
export function snapshotOf(l: FreshLists): ApiSnapshot {
  return {
    agents: l.agents.items,
    reservations: l.reservations.items,
    volumes: l.volumes.items,
    frameworks: l.frameworks.items,
    roles: l.roles.items,
    quotas: l.quotas.items,
    tasks: l.tasks.items,
    offers: l.offers.items,
  };
}

/** Following is the adapter subscribed to the informers, its events held until `start`. */
export interface Following {
  /** start applies the held events, then every later one, through guards against `lists`. */
  start(lists: FreshLists, adapter: AllocatorApiAdapter): void;
  stop(): void;
}

/**
 * follow subscribes to every informer before the lists are read, holding the events (the
 * replay of each cache first) until `start`. Subscribing first means no change can fall between
 * a list and the subscription: a deletion after the list is always among the events, even when
 * the informer had applied it before the allocator got round to subscribing.
 */
export function follow(sources: AllocatorSources): Following {
  const relays = {
    agents: new Relay<Agent>(),
    reservations: new Relay<Reservation>(),
    volumes: new Relay<Volume>(),
    frameworks: new Relay<Framework>(),
    roles: new Relay<Role>(),
    quotas: new Relay<Quota>(),
    tasks: new Relay<Task>(),
    offers: new Relay<Offer>(),
  };
  const offs = [
    sources.agents.on(relays.agents),
    sources.reservations.on(relays.reservations),
    sources.volumes.on(relays.volumes),
    sources.frameworks.on(relays.frameworks),
    sources.roles.on(relays.roles),
    sources.quotas.on(relays.quotas),
    sources.tasks.on(relays.tasks),
    sources.offers.on(relays.offers),
  ];
  return {
    start(lists, adapter) {
      // the order of rebuild: what others refer to first, offers last
      relays.roles.start(guarded(adapter.roles, lists.roles));
      relays.quotas.start(guarded(adapter.quotas, lists.quotas));
      relays.reservations.start(guarded(adapter.reservations, lists.reservations));
      relays.volumes.start(guarded(adapter.volumes, lists.volumes));
      relays.agents.start(guarded(adapter.agents, lists.agents));
      relays.frameworks.start(guarded(adapter.frameworks, lists.frameworks));
      relays.tasks.start(guarded(adapter.tasks, lists.tasks));
      relays.offers.start(guarded(adapter.offers, lists.offers));
    },
    stop() {
      for (const off of offs) off();
    },
  };
}
