// Objects of the framework's namespace as the allocator, offer controller and agent write them.
import type {
  Framework,
  Offer,
  Operation,
  OperationState,
  Task,
  TaskState,
} from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';

/** NS and FW name the framework under test. */
export const NS = 'fw-ns';
export const FW = 'fw';

/** framework is the registered Framework. */
export function framework(over: Partial<Framework['spec']> = {}): Framework {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Framework',
    metadata: { name: FW, namespace: NS },
    spec: { roles: ['a', 'b'], principal: 'p', ...over },
  };
}

/** offer is an unanswered offer of `cpus` on `agent`. */
export function offer(name: string, cpus = '2', agent = 'agent-1'): Offer {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name, namespace: NS, resourceVersion: `rv-${name}`, uid: `uid-${name}` },
    spec: {
      framework: FW,
      agent,
      role: 'a',
      resources: [
        { name: 'cpus', scalar: cpus, allocationRole: 'a' },
        { name: 'mem', scalar: '1024', allocationRole: 'a' },
      ],
    },
  };
}

/** task is a Task of the framework in `state` (none: no status yet). */
export function task(name: string, state?: TaskState, extra: Partial<Task['status']> = {}): Task {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: { agent: 'agent-1', framework: FW, role: 'a', resources: { cpus: 1 } },
    ...(state === undefined ? {} : { status: { state, ...extra } }),
  };
}

/** operation is a RESERVE Operation of the framework in `state`. */
export function operation(name: string, state?: OperationState): Operation {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: { name, namespace: NS },
    spec: {
      type: 'RESERVE',
      agent: 'agent-1',
      framework: FW,
      reserve: {
        resources: [{ name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: 'a' }] }],
      },
    },
    ...(state === undefined ? {} : { status: { state } }),
  };
}
