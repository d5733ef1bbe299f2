// SUPPRESS and REVIVE (mesos-features §1.7) as changes to the Framework record: suppressed roles
// are `spec.suppressedRoles`; a revive is a new value of the `corral.dev/revive` annotation,
// which makes the allocator clear the offer filters of every unsuppressed role and allocate at
// once.
import { isConflict } from '../core/client/index.ts';
import type { MergePatch } from '../core/client/index.ts';
import type { Framework } from '../core/types/index.ts';
import type { KindApi } from './ports.ts';
import { FIELD_MANAGER } from './registration.ts';
import { REVIVE_ANNOTATION } from './states.ts';

// rolesOf resolves a SUPPRESS/REVIVE role list: none means every subscribed role (Mesos); a role
// the framework is not subscribed to fails the whole call, as Mesos drops it.
function rolesOf(fw: Framework, roles: readonly string[] | undefined): string[] {
  const subscribed = fw.spec.roles;
  if (roles === undefined || roles.length === 0) return [...subscribed];
  const unknown = roles.filter(r => !subscribed.includes(r));
  if (unknown.length > 0)
    throw new RangeError(
      `not subscribed to ${unknown.join(', ')}: roles are ${subscribed.join(', ')}`,
    );
  return [...roles];
}

// Suppressed roles are kept in the order of spec.roles, so equal sets are written alike.
function ordered(fw: Framework, set: ReadonlySet<string>): string[] | null {
  const out = fw.spec.roles.filter(r => set.has(r));
  return out.length === 0 ? null : out;
}

/**
 * suppressPatch is the merge patch that adds `roles` (absent or empty: all) to the suppressed
 * roles, pinned to the record's resourceVersion. Outstanding offers are not rescinded.
 */
export function suppressPatch(fw: Framework, roles?: readonly string[]): MergePatch<Framework> {
  const set = new Set([...(fw.spec.suppressedRoles ?? []), ...rolesOf(fw, roles)]);
  return {
    metadata: { resourceVersion: fw.metadata.resourceVersion ?? null },
    spec: { suppressedRoles: ordered(fw, set) },
  };
}

/**
 * revivePatch is the merge patch that un-suppresses `roles` (absent or empty: all) and sets the
 * revive annotation to `token`, which must differ from its current value. The allocator clears
 * the filters of every role left unsuppressed, not only of `roles`.
 */
export function revivePatch(
  fw: Framework,
  roles: readonly string[] | undefined,
  token: string,
): MergePatch<Framework> {
  if (fw.metadata.annotations?.[REVIVE_ANNOTATION] === token)
    throw new RangeError(`the revive token ${token} is already set`);
  const drop = new Set(rolesOf(fw, roles));
  const set = new Set((fw.spec.suppressedRoles ?? []).filter(r => !drop.has(r)));
  return {
    metadata: {
      resourceVersion: fw.metadata.resourceVersion ?? null,
      annotations: { [REVIVE_ANNOTATION]: token },
    },
    spec: { suppressedRoles: ordered(fw, set) },
  };
}

/** PatchFrameworkInput is a change computed from the current record, retried on conflicts. */
export interface PatchFrameworkInput {
  readonly api: KindApi<Framework>;
  readonly namespace: string;
  readonly name: string;
  readonly change: (current: Framework) => MergePatch<Framework>;
  readonly signal?: AbortSignal;
}

const ATTEMPTS = 10;

/**
 * patchFramework reads the Framework, computes the change and writes it pinned to what it read,
 * again on a conflict (another writer won), so a change never overwrites one it did not see.
 */
export async function patchFramework(i: PatchFrameworkInput): Promise<Framework> {
  const key = { namespace: i.namespace, name: i.name };
  const opts = {
    fieldManager: FIELD_MANAGER,
    ...(i.signal === undefined ? {} : { signal: i.signal }),
  };
  for (let attempt = 1; ; attempt++) {
    const current = await i.api.get(key, opts);
    try {
      return await i.api.patch(key, i.change(current), opts);
    } catch (e) {
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}
