// Building a FrameworkView from API objects: the Framework, and the Tasks and Operations of its
// namespace (task names and operation ids are per framework in Mesos, per namespace here).
import type { Framework, Operation, Task } from '../../../core/types/index.ts';
import type { NameLookup } from './names-in-use.ts';
import type { FrameworkView, OwnedName } from './types.ts';

function owned(name: string | undefined, offer: string | undefined): OwnedName {
  return offer === undefined ? { name: name ?? '' } : { name: name ?? '', offer };
}

// a record list as the engine's OwnedNames, or a lookup of one record as a lookup of its OwnedName
function ownedNames(
  records: readonly (Task | Operation)[] | ((name: string) => Task | Operation | undefined),
): readonly OwnedName[] | NameLookup {
  if (typeof records !== 'function') return records.map(r => owned(r.metadata.name, r.spec.offer));
  return name => {
    const r = records(name);
    return r === undefined ? undefined : owned(r.metadata.name, r.spec.offer);
  };
}

/**
 * frameworkViewFrom reads a Framework with its namespace's Tasks and Operations. Every record
 * keeps its name in use: Mesos frees a terminal task's id, but here the Task record holds the name
 * until it is deleted, so a LAUNCH reusing it would fail to create its record.
 */
export function frameworkViewFrom(
  framework: Framework,
  tasks: readonly Task[] | ((name: string) => Task | undefined),
  operations: readonly Operation[] | ((name: string) => Operation | undefined),
): FrameworkView {
  const { spec, metadata } = framework;
  return {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    roles: spec.roles,
    capabilities: spec.capabilities ?? [],
    ...(spec.principal === undefined ? {} : { principal: spec.principal }),
    tasks: ownedNames(tasks),
    operations: ownedNames(operations),
  };
}
