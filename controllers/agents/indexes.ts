// The shared informers and by-agent indexes the Corral controllers read, one set per Manager.
import type { Kind, SharedInformer } from '../../core/client/index.ts';
import { corralKinds } from '../../core/client/index.ts';
import type {
  KubeObject,
  Offer,
  Operation,
  Reservation,
  Task,
  Volume,
} from '../../core/types/index.ts';
import { ByAgentIndex } from './by-agent-index.ts';

/** InformerSource hands out shared informers: the Manager fits. */
export interface InformerSource {
  informer<T extends KubeObject>(kind: Kind<T>): SharedInformer<T>;
}

/** AgentIndexSet indexes every agent-bound kind by agent. */
export interface AgentIndexSet {
  readonly reservations: ByAgentIndex<Reservation>;
  readonly volumes: ByAgentIndex<Volume>;
  readonly tasks: ByAgentIndex<Task>;
  readonly offers: ByAgentIndex<Offer>;
  readonly operations: ByAgentIndex<Operation>;
}

const built = new WeakMap<InformerSource, AgentIndexSet>();

/** agentIndexes returns the indexes over `source`'s informers, built once per source. */
export function agentIndexes(source: InformerSource): AgentIndexSet {
  const existing = built.get(source);
  if (existing !== undefined) return existing;
  const spec = (o: { spec: { agent: string } }): string => o.spec.agent;
  const set: AgentIndexSet = {
    reservations: new ByAgentIndex(source.informer(corralKinds.reservations), spec),
    volumes: new ByAgentIndex(source.informer(corralKinds.volumes), spec),
    tasks: new ByAgentIndex(source.informer(corralKinds.tasks), spec),
    offers: new ByAgentIndex(source.informer(corralKinds.offers), spec),
    operations: new ByAgentIndex(source.informer(corralKinds.operations), spec),
  };
  built.set(source, set);
  return set;
}

/** requestsOf turns index keys into controller requests. */
export function requestsOf(
  keys: readonly { namespace?: string; name: string }[],
): { namespace: string; name: string }[] {
  return keys.map(k => ({ namespace: k.namespace ?? '', name: k.name }));
}
