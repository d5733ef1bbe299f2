// Builders for the Corral objects the allocator's API adapter reads, and a fake API.
import { withApplied } from '../../../../controllers/reservations/applied.ts';
import type {
  Agent,
  Framework,
  Offer,
  OfferResponse,
  Quota,
  QuotaStatus,
  Reservation,
  ResourceItem,
  Task,
  TaskState,
  Volume,
} from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import type { OfferApi } from '../../../../controllers/allocator/api-adapter.ts';
import type { CreateOutcome } from '../../../../controllers/allocator/api-publisher.ts';

/** agentObj builds a Ready agent with all the capabilities. */
export function agentObj(
  name: string,
  resources: Record<string, string | number>,
  extra: Partial<Agent['spec']> = {},
): Agent {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Agent',
    metadata: { name },
    spec: {
      hostname: `${name}.example.com`,
      resources,
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
      ...extra,
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Heartbeat',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    },
  };
}

/** frameworkObj builds a MULTI_ROLE framework. */
export function frameworkObj(
  namespace: string,
  name: string,
  roles: string[],
  extra: Partial<Framework['spec']> = {},
): Framework {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Framework',
    metadata: { name, namespace },
    spec: { roles, capabilities: ['MULTI_ROLE'], ...extra },
  };
}

/** taskObj builds a task holding `resources` (map form) on an agent. */
export function taskObj(
  namespace: string,
  name: string,
  spec: {
    framework: string;
    agent: string;
    role: string;
    resources: Record<string, string | number>;
    offer?: string;
  },
  state: TaskState = 'TASK_RUNNING',
): Task {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace },
    spec: { command: { value: 'sleep 1' }, ...spec },
    status: { state },
  };
}

/** offerObj builds an Offer as another allocator would have written it. */
export function offerObj(
  namespace: string,
  name: string,
  spec: { framework: string; agent: string; role: string; resources: ResourceItem[] },
  response?: OfferResponse,
): Offer {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name, namespace, resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { ...spec, ...(response === undefined ? {} : { response }) },
  };
}

/** reservationObj builds a dynamic reservation of `resources` (list form) for a role. */
export function reservationObj(
  name: string,
  agent: string,
  role: string,
  resources: ResourceItem[],
): Reservation {
  // as the agent's model applied it (the reservation controller's annotation)
  const spec = { agent, role, resources };
  return withApplied(
    { apiVersion: CORRAL_API_VERSION, kind: 'Reservation', metadata: { name }, spec },
    spec,
  );
}

/** volumeObj builds a persistent volume. */
export function volumeObj(
  name: string,
  agent: string,
  role: string,
  resource: ResourceItem,
): Volume {
  const spec = { agent, role, resource };
  return withApplied(
    { apiVersion: CORRAL_API_VERSION, kind: 'Volume', metadata: { name }, spec },
    spec,
  );
}

/** quotaObj builds a Quota. */
export function quotaObj(
  name: string,
  role: string,
  guarantees: Record<string, string | number>,
): Quota {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Quota',
    metadata: { name, generation: 3 },
    spec: { role, guarantees },
  };
}

/** FakeApi records what the adapter writes; names in `conflicts` fail deletion. */
export class FakeApi implements OfferApi {
  readonly created: Offer[] = [];
  readonly deleted: { namespace: string; name: string; resourceVersion?: string }[] = [];
  readonly statuses: [string, QuotaStatus][] = [];
  readonly conflicts = new Set<string>();

  createOffers(offers: readonly Offer[]): Promise<readonly CreateOutcome[]> {
    return Promise.resolve(
      offers.map(offer => {
        const dup = this.created.some(o => o.metadata.name === offer.metadata.name);
        this.created.push(offer);
        return dup ? 'exists' : 'created';
      }),
    );
  }

  deleteOffer(ref: {
    namespace: string;
    name: string;
    resourceVersion?: string;
  }): Promise<'deleted' | 'gone' | 'conflict'> {
    this.deleted.push(ref);
    return Promise.resolve(this.conflicts.has(ref.name) ? 'conflict' : 'deleted');
  }

  writeQuotaStatus(name: string, status: QuotaStatus): Promise<void> {
    this.statuses.push([name, status]);
    return Promise.resolve();
  }
}
