// Fake Agent, Lease and Namespace APIs for the heartbeat unit tests: in-memory records with
// resourceVersions, compare-and-swap writes (a stale one is a Conflict) and a log of every call.
import type {
  ClientErrorReason,
  Lease,
  Namespace,
  ObjectKey,
} from '../../../../core/client/index.ts';
import { ClientError } from '../../../../core/client/index.ts';
import type { Agent } from '../../../../core/types/agent.ts';
import type { AgentApi } from '../../../../agent/registration/agent-status.ts';
import type { LeaseApi, NamespaceApi } from '../../../../agent/registration/leases.ts';
import type { FakeClock } from '../../../helpers/fake-clock.ts';

const err = (reason: ClientErrorReason, code: number) =>
  new ClientError({ reason, code, message: reason });

/** Call is one request a fake saw: verb, object name, clock time. */
export interface Call {
  readonly verb: string;
  readonly name: string;
  readonly at: number;
}

/** fakeCluster keeps one Agent, its Leases and namespaces; `calls` logs every request. */
export function fakeCluster(clock: FakeClock, agent: Agent) {
  let rv = 10;
  const calls: Call[] = [];
  const log = (verb: string, name: string | undefined): void => {
    calls.push({ verb, name: name ?? '', at: clock.now() });
  };
  const state = {
    agent: { ...agent, metadata: { ...agent.metadata, resourceVersion: String(rv) } } as Agent,
    leases: new Map<string, Lease>(),
    namespaces: new Set<string>(),
    /** failLeaseCreates makes this many Lease creates fail with NotFound (no namespace). */
    failLeaseCreates: 0,
    /** beforeStatusWrite runs before each status write is checked (to race it). */
    beforeStatusWrite: undefined as (() => void) | undefined,
  };
  /** setAgent stores a change to the Agent as another writer would (new resourceVersion). */
  const setAgent = (change: (a: Agent) => Agent): void => {
    state.agent = change(structuredClone(state.agent));
    state.agent.metadata.resourceVersion = String(++rv);
  };
  const agents: AgentApi = {
    get: (key: ObjectKey) => {
      log('get', key.name);
      return Promise.resolve(structuredClone(state.agent));
    },
    create: () => Promise.reject(err('AlreadyExists', 409)),
    update: () => Promise.reject(err('MethodNotAllowed', 405)),
    updateStatus: a => {
      log('status', a.metadata.name);
      state.beforeStatusWrite?.();
      if (a.metadata.resourceVersion !== state.agent.metadata.resourceVersion) {
        return Promise.reject(err('Conflict', 409));
      }
      setAgent(old => ({ ...old, status: structuredClone(a.status ?? {}) }));
      return Promise.resolve(structuredClone(state.agent));
    },
  };
  const save = (l: Lease): Lease => {
    const next = {
      ...structuredClone(l),
      metadata: { ...l.metadata, resourceVersion: String(++rv) },
    };
    state.leases.set(l.metadata.name ?? '', next);
    return structuredClone(next);
  };
  const leases: LeaseApi = {
    get: (key: ObjectKey) => {
      log('lease-get', key.name);
      const l = state.leases.get(key.name);
      return l === undefined ? Promise.reject(err('NotFound', 404)) : Promise.resolve(l);
    },
    create: l => {
      log('lease-create', l.metadata.name);
      if (state.failLeaseCreates > 0 || !state.namespaces.has(l.metadata.namespace ?? '')) {
        state.failLeaseCreates = Math.max(0, state.failLeaseCreates - 1);
        return Promise.reject(err('NotFound', 404));
      }
      if (state.leases.has(l.metadata.name ?? '')) return Promise.reject(err('AlreadyExists', 409));
      return Promise.resolve(save(l));
    },
    update: l => {
      log('lease-update', l.metadata.name);
      const old = state.leases.get(l.metadata.name ?? '');
      if (old === undefined) return Promise.reject(err('NotFound', 404));
      if (old.metadata.resourceVersion !== l.metadata.resourceVersion) {
        return Promise.reject(err('Conflict', 409));
      }
      return Promise.resolve(save(l));
    },
  };
  const namespaces: NamespaceApi = {
    create: (ns: Namespace) => {
      const name = ns.metadata.name ?? '';
      log('namespace-create', name);
      if (state.namespaces.has(name)) return Promise.reject(err('AlreadyExists', 409));
      state.namespaces.add(name);
      return Promise.resolve(ns);
    },
  };
  /** at lists the times of the calls of one verb. */
  const at = (verb: string): number[] => calls.filter(c => c.verb === verb).map(c => c.at);
  return { agents, leases, namespaces, state, calls, setAgent, at };
}

/** readyOf is the Ready condition of the fake's Agent. */
export function readyOf(a: Agent): { status?: string; reason?: string } | undefined {
  return a.status?.conditions?.find(c => c.type === 'Ready');
}
