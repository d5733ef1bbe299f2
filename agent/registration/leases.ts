// Agent Leases (core/types/agent-lease.ts), Kubernetes' node-lease idea: a heartbeat renews a
// small coordination.k8s.io/v1 Lease named as the Agent in AGENT_LEASE_NAMESPACE instead of
// rewriting the whole Agent, so thousands of agents heartbeating cost the API server little and
// wake no Agent watcher (the allocator, the offer and task controllers). The agent health
// controller reads the renewals. Real and hollow agents renew through the functions here.
import type {
  CallOptions,
  Lease,
  Namespace,
  ObjectKey,
  WriteOptions,
} from '../../core/client/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../core/client/index.ts';
import { AGENT_LEASE_NAMESPACE } from '../../core/types/agent-lease.ts';
import { CORRAL_API_VERSION } from '../../core/types/group.ts';
import type { OwnerReference } from '../../core/types/meta.ts';
import { microTime } from '../../core/util/micro-time.ts';

/** LeaseApi is what renewals need of the API: the typed Lease client fits. */
export interface LeaseApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Lease>;
  create(obj: Lease, opts?: WriteOptions): Promise<Lease>;
  update(obj: Lease, opts?: WriteOptions): Promise<Lease>;
}

/** NamespaceApi creates the Lease namespace: the typed Namespace client fits. */
export interface NamespaceApi {
  create(obj: Namespace, opts?: WriteOptions): Promise<Namespace>;
}

// Kubelet renews its 40 s node Lease every 10 s: without a known health timeout a Lease says it
// holds for four renewal intervals.
const LEASE_INTERVALS = 4;

/**
 * agentLeaseDurationSeconds is the `leaseDurationSeconds` an agent writes: the control plane's
 * agent health timeout when the agent was told it, else four heartbeat intervals; at least 1 s.
 */
export function agentLeaseDurationSeconds(intervalMs: number, healthTimeoutMs?: number): number {
  const ms = healthTimeoutMs ?? LEASE_INTERVALS * intervalMs;
  return Math.max(1, Math.ceil(ms / 1000));
}

/** agentOwner is the ownerReference that makes deleting the Agent delete its Lease. */
export function agentOwner(agent: string, uid: string): OwnerReference {
  return { apiVersion: CORRAL_API_VERSION, kind: 'Agent', name: agent, uid };
}

/** LeaseRenewal says which agent renews, when, and for how long the Lease holds. */
export interface LeaseRenewal {
  readonly api: LeaseApi;
  readonly agent: string;
  /** ownerUid is the Agent record's uid, for the ownerReference (absent: none is written). */
  readonly ownerUid?: string;
  /** base is the Lease as the last renewal returned it (undefined: none yet). */
  readonly base: Lease | undefined;
  readonly nowMs: number;
  readonly durationSeconds: number;
  readonly fieldManager: string;
  readonly signal?: AbortSignal;
}

// owners is `refs` with this agent's reference set to the current uid (an Agent deleted and
// registered again has a new one) and other owners kept.
function owners(refs: readonly OwnerReference[] | undefined, r: LeaseRenewal): OwnerReference[] {
  const others = (refs ?? []).filter(o => !(o.kind === 'Agent' && o.name === r.agent));
  return r.ownerUid === undefined
    ? [...(refs ?? [])]
    : [...others, agentOwner(r.agent, r.ownerUid)];
}

function fresh(r: LeaseRenewal): Lease {
  const now = microTime(r.nowMs);
  const refs = owners(undefined, r);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: r.agent,
      namespace: AGENT_LEASE_NAMESPACE,
      ...(refs.length === 0 ? {} : { ownerReferences: refs }),
    },
    spec: {
      holderIdentity: r.agent,
      leaseDurationSeconds: r.durationSeconds,
      acquireTime: now,
      renewTime: now,
    },
  };
}

function renewed(base: Lease, r: LeaseRenewal): Lease {
  const refs = owners(base.metadata.ownerReferences, r);
  const metadata = { ...base.metadata };
  delete metadata.ownerReferences;
  if (refs.length > 0) metadata.ownerReferences = refs;
  return {
    ...base,
    metadata,
    spec: {
      ...base.spec,
      holderIdentity: r.agent,
      leaseDurationSeconds: r.durationSeconds,
      renewTime: microTime(r.nowMs),
    },
  };
}

/**
 * renewLease writes one renewal: an update over the copy the last one returned, or a create for
 * the first. A Conflict (someone else wrote it) or a create that finds it there costs a read and
 * one more write; a Lease deleted meanwhile is created again. Returns the Lease as written. A
 * create answered NotFound means the namespace is missing: the caller ensures it and tries again.
 */
export async function renewLease(r: LeaseRenewal): Promise<Lease> {
  const opts = {
    fieldManager: r.fieldManager,
    ...(r.signal === undefined ? {} : { signal: r.signal }),
  };
  const key = { namespace: AGENT_LEASE_NAMESPACE, name: r.agent };
  let base = r.base;
  for (let attempt = 1; ; attempt++) {
    try {
      return base === undefined
        ? await r.api.create(fresh(r), opts)
        : await r.api.update(renewed(base, r), opts);
    } catch (e) {
      const again = attempt < 3;
      if (again && base === undefined && isAlreadyExists(e)) base = await r.api.get(key, opts);
      else if (again && base !== undefined && isConflict(e)) base = await r.api.get(key, opts);
      else if (again && base !== undefined && isNotFound(e)) base = undefined;
      else throw e;
    }
  }
}

/** ensureLeaseNamespace creates AGENT_LEASE_NAMESPACE unless it exists. */
export async function ensureLeaseNamespace(api: NamespaceApi, signal?: AbortSignal): Promise<void> {
  try {
    await api.create(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: AGENT_LEASE_NAMESPACE } },
      signal === undefined ? {} : { signal },
    );
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}
