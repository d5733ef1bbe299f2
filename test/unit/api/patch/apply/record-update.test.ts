import { expect } from 'chai';
import { recordUpdate, serverSideApply } from '../../../../../api/patch/index.ts';
import type { UpdateOptions } from '../../../../../api/patch/index.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../../../../core/types/meta.ts';
import { API_VERSION, SCHEMA, T1, T2, widget } from './builders.ts';

const update = (opts: Partial<UpdateOptions> & { after: KubeObject }): ManagedFieldsEntry[] =>
  recordUpdate({
    before: undefined,
    schema: SCHEMA,
    manager: 'kubectl-edit',
    apiVersion: API_VERSION,
    now: T2,
    ...opts,
  });

const withFields = (obj: KubeObject, managedFields: ManagedFieldsEntry[]): KubeObject => ({
  ...obj,
  metadata: { ...obj.metadata, managedFields },
});

/** applied is an object kubectl server-side applied with spec {size: 3, color: red}. */
const applied = (): KubeObject =>
  serverSideApply({
    live: undefined,
    applied: widget({ size: 3, color: 'red' }),
    schema: SCHEMA,
    manager: 'kubectl',
    force: false,
    apiVersion: API_VERSION,
    now: T1,
  });

const byManager = (entries: ManagedFieldsEntry[]): Record<string, unknown> =>
  Object.fromEntries(entries.map(e => [`${e.manager}/${e.operation}`, e.fieldsV1]));

describe('recordUpdate', () => {
  it('makes the creator own every field it set', () => {
    const entries = update({
      manager: 'kubectl-create',
      now: T1,
      after: widget({ size: 3 }, { labels: { a: 'b' } }),
    });
    expect(entries).to.deep.equal([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: API_VERSION,
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
          'f:spec': { '.': {}, 'f:size': {} },
        },
      },
    ]);
  });

  it('moves a changed field from its applier to the updater', () => {
    const before = applied();
    const after = { ...before, spec: { size: 7, color: 'red' } };
    expect(byManager(update({ before, after }))).to.deep.equal({
      'kubectl/Apply': { 'f:spec': { '.': {}, 'f:color': {} } },
      'kubectl-edit/Update': { 'f:spec': { 'f:size': {} } },
    });
  });

  it('takes a removed field away from every manager', () => {
    const before = applied();
    const after = { ...before, spec: { size: 3 } };
    expect(byManager(update({ before, after }))).to.deep.equal({
      'kubectl/Apply': { 'f:spec': { '.': {}, 'f:size': {} } },
    });
  });

  it('leaves entries and times alone when nothing changes', () => {
    const before = applied();
    expect(update({ before, after: structuredClone(before) })).to.deep.equal(
      before.metadata.managedFields,
    );
  });

  it('merges into the same manager entry and refreshes its time', () => {
    const first = applied();
    const second = withFields(
      { ...first, spec: { size: 4, color: 'red' } },
      update({ before: first, after: { ...first, spec: { size: 4, color: 'red' } }, now: T1 }),
    );
    const third = { ...second, spec: { size: 4, color: 'blue' } };
    const entries = update({ before: second, after: third });
    const edit = entries.find(e => e.manager === 'kubectl-edit');
    expect(edit?.time).to.equal(T2);
    expect(edit?.fieldsV1).to.deep.equal({ 'f:spec': { 'f:color': {}, 'f:size': {} } });
  });

  it("resets managedFields on a client's [{}], then owns what the same write changed", () => {
    const before = applied();
    const after = withFields({ ...before, spec: { size: 3, color: 'blue' } }, [
      {} as ManagedFieldsEntry,
    ]);
    expect(byManager(update({ before, after }))).to.deep.equal({
      'kubectl-edit/Update': { 'f:spec': { 'f:color': {} } },
    });
    expect(update({ before, after: withFields(before, [{} as ManagedFieldsEntry]) })).to.deep.equal(
      [],
    );
  });

  it('treats an explicit empty list as not sent, as kube does', () => {
    const before = applied();
    expect(update({ before, after: withFields(before, []) })).to.deep.equal(
      before.metadata.managedFields,
    );
  });

  it("adopts a client's rewritten list (kubectl's csa→ssa migration)", () => {
    const before = applied();
    const migrated: ManagedFieldsEntry[] = [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: API_VERSION,
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': { '.': {}, 'f:color': {}, 'f:size': {} },
          'f:metadata': { 'f:labels': {} },
        },
      },
    ];
    expect(update({ before, after: withFields(before, migrated) })).to.deep.equal([
      {
        ...migrated[0],
        fieldsV1: {
          'f:metadata': { 'f:labels': {} },
          'f:spec': { '.': {}, 'f:color': {}, 'f:size': {} },
        },
      },
    ]);
  });

  it('ignores a malformed client list and keeps the stored one', () => {
    const before = applied();
    const bad = [{ manager: 'x', operation: 'Bogus' }] as unknown as ManagedFieldsEntry[];
    expect(update({ before, after: withFields(before, bad) })).to.deep.equal(
      before.metadata.managedFields,
    );
  });

  it('ignores a client list on a subresource and records the subresource', () => {
    const before = applied();
    const after = withFields({ ...before, status: { phase: 'Ready' } }, [{} as ManagedFieldsEntry]);
    const entries = update({ before, after, manager: 'agent', subresource: 'status' });
    expect(entries.map(e => [e.manager, e.subresource])).to.deep.equal([
      ['kubectl', undefined],
      ['agent', 'status'],
    ]);
  });

  it('does not start tracking an existing object that has no managedFields', () => {
    const before = widget({ size: 1 });
    expect(update({ before, after: widget({ size: 2 }) })).to.deep.equal([]);
  });

  it('folds the oldest of more than ten updaters into ancient-changes', () => {
    let obj = withFields(
      widget({ env: {} }),
      update({ manager: 'm0', now: '2026-01-01T00:00:00Z', after: widget({ env: {} }) }),
    );
    for (let i = 1; i <= 11; i++) {
      const after = {
        ...obj,
        spec: { env: { ...(obj.spec as { env: object }).env, [`k${i}`]: 'v' } },
      };
      const now = `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`;
      obj = withFields(after, update({ before: obj, after, manager: `m${i}`, now }));
    }
    const names = (obj.metadata.managedFields ?? []).map(e => e.manager);
    expect(names).to.have.length(10);
    expect(names[0]).to.equal('ancient-changes');
    expect(names).not.to.include.members(['m0', 'm1', 'm2']);
  });
});
