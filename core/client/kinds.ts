// The kinds a client can address, with the names their CRDs (crds/) and the built-in resource
// table of the API server give them. test/unit/core/client/kinds.test.ts checks every entry
// against crds/*.yaml, so a renamed plural or a changed scope fails there first.
import type {
  Agent,
  Framework,
  Offer,
  Operation,
  Quota,
  Reservation,
  ResourceProvider,
  Role,
  Task,
  Volume,
} from '../types/index.ts';
import { CORRAL_GROUP, CORRAL_VERSION } from '../types/index.ts';
import type { KubeObject } from '../types/meta.ts';

/**
 * Kind names one resource of the API: where it lives (group, version, plural) and whether its
 * objects sit in a namespace. `T` is the TypeScript type of its objects; it exists only at
 * compile time, so `client.for(kind)` returns a `ResourceClient<T>`.
 */
export interface Kind<T extends KubeObject> {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** hasStatus is true when writes to `.status` go through the `/status` subresource. */
  readonly hasStatus: boolean;
  /** __type carries T; never set at run time. */
  readonly __type?: T;
}

/** KindInit is what defineKind needs. */
export type KindInit = Omit<Kind<KubeObject>, '__type'>;

/** defineKind declares a Kind whose objects have type T. */
export function defineKind<T extends KubeObject>(init: KindInit): Kind<T> {
  return Object.freeze({ ...init });
}

/** apiVersionOf is `group/version`, or just `version` for the core group. */
export function apiVersionOf(kind: Kind<KubeObject>): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

const corral = <T extends KubeObject>(
  plural: string,
  kind: T['kind'] & string,
  namespaced: boolean,
): Kind<T> =>
  defineKind<T>({
    group: CORRAL_GROUP,
    version: CORRAL_VERSION,
    plural,
    kind,
    namespaced,
    hasStatus: true,
  });

/** corralKinds addresses every Corral kind by its plural: `client.for(corralKinds.offers)`. */
export const corralKinds = Object.freeze({
  agents: corral<Agent>('agents', 'Agent', false),
  frameworks: corral<Framework>('frameworks', 'Framework', true),
  roles: corral<Role>('roles', 'Role', false),
  quotas: corral<Quota>('quotas', 'Quota', false),
  offers: corral<Offer>('offers', 'Offer', true),
  reservations: corral<Reservation>('reservations', 'Reservation', false),
  volumes: corral<Volume>('volumes', 'Volume', false),
  tasks: corral<Task>('tasks', 'Task', true),
  operations: corral<Operation>('operations', 'Operation', true),
  resourceproviders: corral<ResourceProvider>('resourceproviders', 'ResourceProvider', false),
});
