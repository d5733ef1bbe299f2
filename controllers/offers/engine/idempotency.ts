// Resuming an interrupted answer: which of a plan's writes a previous run already made.
import type { KubeObject } from '../../../core/types/index.ts';
import { ORIGIN_ANNOTATION } from '../../../core/framework/index.ts';
import type { AnswerPlan, RecordChange } from './types.ts';

function key(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${kind}\0${namespace ?? ''}\0${name ?? ''}`;
}

/**
 * isChangeApplied reports whether `existing` (the current records of the kinds involved) already
 * reflects a change: a create, when an object of that kind, namespace and name exists (the name is
 * deterministic, so it is this plan's); an update, when the record carries the plan's origin
 * annotation; a delete, when the record is gone.
 */
export function isChangeApplied(
  change: RecordChange,
  existing: ReadonlyMap<string, KubeObject>,
): boolean {
  switch (change.action) {
    case 'create': {
      const m = change.object.metadata;
      return existing.has(key(change.object.kind, m.namespace, m.name));
    }
    case 'update': {
      const found = existing.get(key(change.kind, undefined, change.name));
      return found?.metadata.annotations?.[ORIGIN_ANNOTATION] === change.origin;
    }
    case 'delete':
      return !existing.has(key(change.kind, undefined, change.name));
  }
}

/** indexRecords keys records by kind, namespace and name for isChangeApplied. */
export function indexRecords(records: readonly KubeObject[]): ReadonlyMap<string, KubeObject> {
  return new Map(records.map(r => [key(r.kind, r.metadata.namespace, r.metadata.name), r]));
}

/**
 * missingChanges lists, in order, the plan's writes that `existing` does not reflect yet: what a
 * controller restarted midway still has to do. Reservations and Volumes are cluster-scoped; Tasks
 * and Operations live in the framework's namespace.
 */
export function missingChanges(plan: AnswerPlan, existing: readonly KubeObject[]): RecordChange[] {
  const index = indexRecords(existing);
  return plan.changes.filter(c => !isChangeApplied(c, index));
}

/** isAlreadyApplied reports that every write of the plan is reflected in `existing`. */
export function isAlreadyApplied(plan: AnswerPlan, existing: readonly KubeObject[]): boolean {
  return missingChanges(plan, existing).length === 0;
}
