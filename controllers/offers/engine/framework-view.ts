// Building a FrameworkView from API objects: the Framework, and the Tasks and Operations of its
// namespace (task names and operation ids are per framework in Mesos, per namespace here).
import type { Framework, Operation, Task } from '../../../core/types/index.ts';
import type { FrameworkView, OwnedName } from './types.ts';

function owned(name: string | undefined, offer: string | undefined): OwnedName {
  return offer === undefined ? { name: name ?? '' } : { name: name ?? '', offer };
}

/**
 * frameworkViewFrom reads a Framework with its namespace's Tasks and Operations. Every record
 * keeps its name in use: Mesos frees a terminal task's id, but here the Task record holds the name
 * until it is deleted, so a LAUNCH reusing it would fail to create its record.
 */
export function frameworkViewFrom(
  framework: Framework,
  tasks: readonly Task[],
  operations: readonly Operation[],
): FrameworkView {
  const { spec, metadata } = framework;
  return {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    roles: spec.roles,
    capabilities: spec.capabilities ?? [],
    ...(spec.principal === undefined ? {} : { principal: spec.principal }),
    tasks: tasks.map(t => owned(t.metadata.name, t.spec.offer)),
    operations: operations.map(o => owned(o.metadata.name, o.spec.offer)),
  };
}
