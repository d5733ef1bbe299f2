// Exactly one of everything, once the answers are carried out: every accepted answer made all of
// its records, no record comes from anything else, and on each agent the Reservation and Volume
// records are exactly what the applied operations add up to. A restart in the middle of an
// accept that wrote a record twice, or lost one, breaks the sums.
import { Resources, parseResourceList } from '../../../core/resources/index.ts';
import type { Operation, OperationState, ResourceItem } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { ORIGIN_ANNOTATION } from '../../../controllers/offers/engine/index.ts';
import type { Snapshot } from './chaos-snapshot.ts';

/** AcceptedAnswer is an accept the API took (its write won on the offer's version). */
export interface AcceptedAnswer {
  readonly offer: string;
  readonly uid: string;
  readonly agent: string;
  readonly operationIds: readonly string[];
  readonly taskNames: readonly string[];
}

/**
 * answerProblems: an accepted answer without a record for one of its operation ids or tasks
 * (killed tasks may be gone). Every accepted answer is carried out whole, whatever happens to
 * its agent or the controllers meanwhile: on a lost or gone agent its tasks and operations end
 * in the states that say so, but they exist.
 */
export function answerProblems(
  s: Snapshot,
  answers: readonly AcceptedAnswer[],
  killed: ReadonlySet<string>,
): string[] {
  const ops = new Set(s.operations.map(o => o.metadata.name ?? ''));
  const tasks = new Set(s.tasks.map(t => t.metadata.name ?? ''));
  return answers.flatMap(a => {
    const missing = [
      ...a.operationIds.filter(id => !ops.has(id)).map(id => `operation ${id}`),
      ...a.taskNames.filter(n => !tasks.has(n) && !killed.has(n)).map(n => `task ${n}`),
    ];
    if (missing.length === 0) return [];
    return [`the accept of offer ${a.offer} on ${a.agent} has no ${missing.join(', ')}`];
  });
}

/**
 * strayProblems: a record no accepted answer made or last changed (its origin annotation names
 * the offer). An answer that lost to a rescind, or was written twice, must change nothing.
 */
export function strayProblems(s: Snapshot, answers: readonly AcceptedAnswer[]): string[] {
  const accepted = new Set(answers.map(a => a.uid));
  return [...s.reservations, ...s.volumes, ...s.tasks, ...s.operations].flatMap(o => {
    const origin = o.metadata.annotations?.[ORIGIN_ANNOTATION];
    if (origin !== undefined && accepted.has(origin)) return [];
    return [
      `${o.kind} ${o.metadata.name ?? ''} comes from ${origin ?? 'nowhere'}, no accepted answer`,
    ];
  });
}

// the states in which a speculative operation has been applied to the records
const APPLIED: ReadonlySet<OperationState | undefined> = new Set<OperationState | undefined>([
  'OPERATION_PENDING',
  'OPERATION_UNREACHABLE',
  'OPERATION_FINISHED',
  'OPERATION_GONE_BY_OPERATOR',
]);

const sum = (items: readonly (readonly ResourceItem[])[]): Resources =>
  Resources.sum(items.map(i => parseResourceList([...i]).unallocate()));

function payload(op: Operation): readonly ResourceItem[] {
  switch (op.spec.type) {
    case 'RESERVE':
      return op.spec.reserve?.resources ?? [];
    case 'UNRESERVE':
      return op.spec.unreserve?.resources ?? [];
    case 'CREATE':
      return op.spec.create?.volumes ?? [];
    case 'DESTROY':
      return op.spec.destroy?.volumes ?? [];
    case 'GROW_VOLUME':
    case 'SHRINK_VOLUME':
    case 'CREATE_DISK':
    case 'DESTROY_DISK':
      return []; // never sent by the chaos framework
    default:
      return assertNever(op.spec.type, 'operation type');
  }
}

/**
 * recordSumProblems: per agent, Reservations + applied UNRESERVEs = applied RESERVEs, and
 * Volumes + applied DESTROYs = applied CREATEs (all operations here carry an id, so each has an
 * Operation record to count).
 */
export function recordSumProblems(s: Snapshot): string[] {
  const out: string[] = [];
  for (const agent of s.agents) {
    const name = agent.metadata.name ?? '';
    const applied = (type: Operation['spec']['type']) =>
      sum(
        s.operations
          .filter(
            o => o.spec.agent === name && o.spec.type === type && APPLIED.has(o.status?.state),
          )
          .map(payload),
      );
    const reservations = sum(
      s.reservations.filter(r => r.spec.agent === name).map(r => r.spec.resources),
    );
    const volumes = sum(s.volumes.filter(v => v.spec.agent === name).map(v => [v.spec.resource]));
    const reserved = applied('RESERVE');
    const kept = reservations.add(applied('UNRESERVE'));
    if (!kept.equals(reserved))
      out.push(
        `${name}: Reservations + UNRESERVEs are ${kept.toString()}, RESERVEs ${reserved.toString()}`,
      );
    const created = applied('CREATE');
    const left = volumes.add(applied('DESTROY'));
    if (!left.equals(created))
      out.push(`${name}: Volumes + DESTROYs are ${left.toString()}, CREATEs ${created.toString()}`);
  }
  return out;
}
