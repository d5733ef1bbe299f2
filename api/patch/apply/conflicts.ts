// The 409 an apply answers when it would change fields another manager owns, worded as
// kube's fieldmanager `NewConflictError` words it.
import { ApiError } from '../../../core/errors/index.ts';
import type { StatusCause } from '../../../core/errors/index.ts';
import type { FieldSet } from './field-set.ts';
import type { ManagerFields } from './managers.ts';
import { formatPath } from './path.ts';

/** Conflict is the fields of one other manager that an apply would change. */
export interface Conflict {
  readonly manager: ManagerFields;
  readonly fields: FieldSet;
}

/**
 * describeManager is kube's `printManager`: `"kubectl"` for an applier,
 * `"kubectl-edit" using example.com/v1` for an updater, with `with subresource "status"` when set.
 */
export function describeManager(m: Omit<ManagerFields, 'set'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource !== undefined) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

/**
 * conflictError is the 409 Conflict with one FieldManagerConflict cause per conflicting field.
 * One conflict reads `Apply failed with 1 conflict: conflict with "m" using v: .spec.size`; more
 * are grouped per manager, one `- <path>` line each.
 */
export function conflictError(conflicts: readonly Conflict[]): ApiError {
  const groups = conflicts
    .filter(c => !c.fields.isEmpty())
    .map(c => ({ who: describeManager(c.manager), paths: c.fields.paths().map(formatPath) }))
    .sort((a, b) => (a.who < b.who ? -1 : a.who > b.who ? 1 : 0));
  const causes: StatusCause[] = groups.flatMap(g =>
    g.paths.map(p => ({
      reason: 'FieldManagerConflict' as const,
      message: `conflict with ${g.who}`,
      field: p,
    })),
  );
  const first = groups[0];
  const message =
    causes.length === 1 && first !== undefined
      ? `Apply failed with 1 conflict: conflict with ${first.who}: ${first.paths[0] ?? ''}`
      : `Apply failed with ${causes.length} conflicts: ${groups
          .flatMap(g => [`conflicts with ${g.who}:`, ...g.paths.map(p => `- ${p}`)])
          .join('\n')}`;
  return new ApiError('Conflict', message, { causes });
}
