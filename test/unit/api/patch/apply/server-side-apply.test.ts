import { expect } from 'chai';
import {
  LAST_APPLIED_ANNOTATION,
  recordUpdate,
  serverSideApply,
} from '../../../../../api/patch/index.ts';
import type { ApplyOptions } from '../../../../../api/patch/index.ts';
import type { KubeObject } from '../../../../../core/types/meta.ts';
import { API_VERSION, SCHEMA, T1, T2, T3, owners, thrown, widget } from './builders.ts';

type Step = Partial<ApplyOptions> & { applied: KubeObject };
const apply = (live: KubeObject | undefined, step: Step): KubeObject =>
  serverSideApply({
    live,
    schema: SCHEMA,
    manager: 'kubectl',
    force: false,
    apiVersion: API_VERSION,
    now: T1,
    ...step,
  });

/** created is an object POSTed by `manager` (an Update owner of every field it set). */
const created = (obj: KubeObject, manager = 'creator'): KubeObject => ({
  ...obj,
  metadata: {
    ...obj.metadata,
    managedFields: recordUpdate({
      before: undefined,
      after: obj,
      schema: SCHEMA,
      manager,
      apiVersion: API_VERSION,
      now: T1,
    }),
  },
});

describe('serverSideApply', () => {
  it('creates the object on apply, owned by the applier', () => {
    const out = apply(undefined, {
      applied: widget({ color: 'red', size: 3 }, { labels: { app: 'demo' } }),
    });
    expect(out.spec).to.deep.equal({ color: 'red', size: 3 });
    expect(out.metadata.managedFields).to.deep.equal([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: API_VERSION,
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { '.': {}, 'f:color': {}, 'f:size': {} },
        },
      },
    ]);
  });

  it('treats re-applying an unchanged configuration as a no-op (time kept)', () => {
    const config = widget({
      color: 'red',
      size: 3,
      tags: ['a'],
      ports: [{ name: 'http', port: 80 }],
    });
    const first = apply(undefined, { applied: config });
    expect(apply(first, { applied: config, now: T2 })).to.deep.equal(first);
  });

  it('deletes a field the applier no longer applies', () => {
    const first = apply(undefined, { applied: widget({ color: 'red', size: 3 }) });
    const out = apply(first, { applied: widget({ size: 5 }), now: T2 });
    expect(out.spec).to.deep.equal({ size: 5 });
    expect(owners(out)).to.deep.equal({ 'kubectl/Apply': { 'f:spec': { '.': {}, 'f:size': {} } } });
    expect(out.metadata.managedFields?.[0]?.time).to.equal(T2);
  });

  it('drops null members of the configuration instead of owning them', () => {
    const out = apply(undefined, { applied: widget({ size: 3, color: null }) });
    expect(out.spec).to.deep.equal({ size: 3 });
  });

  it('answers 409 with causes when another applier owns a field it would change', () => {
    const first = apply(undefined, { applied: widget({ size: 3 }) });
    const e = thrown(() => apply(first, { manager: 'ops', applied: widget({ size: 5 }) }));
    expect(e.code).to.equal(409);
    expect(e.reason).to.equal('Conflict');
    expect(e.message).to.equal('Apply failed with 1 conflict: conflict with "kubectl": .spec.size');
    expect(e.details?.causes).to.deep.equal([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.size' },
    ]);
  });

  it("names an Update owner with its apiVersion, as kube's message does", () => {
    const live = created(widget({ size: 3 }), 'kubectl-client-side-apply');
    const e = thrown(() => apply(live, { manager: 'ops', applied: widget({ size: 5 }) }));
    expect(e.message).to.equal(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using example.com/v1: .spec.size',
    );
  });

  it('groups several conflicts per manager', () => {
    let live = apply(undefined, { manager: 'a', applied: widget({ size: 3 }) });
    live = apply(live, { manager: 'b', applied: widget({ size: 3, color: 'red' }) });
    const e = thrown(() =>
      apply(live, { manager: 'c', applied: widget({ size: 4, color: 'blue' }) }),
    );
    expect(e.message).to.equal(
      'Apply failed with 3 conflicts: conflicts with "a":\n- .spec.size\nconflicts with "b":\n- .spec.color\n- .spec.size',
    );
    expect(e.details?.causes).to.have.length(3);
  });

  it('shares ownership without conflict when the value is the same', () => {
    const first = apply(undefined, { applied: widget({ size: 3 }) });
    const out = apply(first, { manager: 'ops', applied: widget({ size: 3 }) });
    expect(Object.keys(owners(out))).to.have.members(['kubectl/Apply', 'ops/Apply']);
  });

  it('takes ownership with force', () => {
    const first = apply(undefined, { applied: widget({ size: 3, color: 'red' }) });
    const out = apply(first, {
      manager: 'ops',
      force: true,
      applied: widget({ size: 5 }),
      now: T2,
    });
    expect(out.spec).to.deep.equal({ size: 5, color: 'red' });
    expect(owners(out)).to.deep.equal({
      'kubectl/Apply': { 'f:spec': { '.': {}, 'f:color': {} } },
      'ops/Apply': { 'f:spec': { '.': {}, 'f:size': {} } },
    });
    // The former owner no longer holds size, so dropping it later removes nothing of ops'.
    const again = apply(out, { applied: widget({ color: 'red' }), now: T3 });
    expect(again.spec).to.deep.equal({ size: 5, color: 'red' });
  });

  it('keeps a removed field that an Update manager also owns', () => {
    const live = created(widget({ size: 3, color: 'red' }));
    const first = apply(live, { applied: widget({ size: 3, color: 'red' }) });
    const out = apply(first, { applied: widget({ size: 3 }), now: T2 });
    expect(out.spec).to.deep.equal({ size: 3, color: 'red' });
  });

  it('unions set lists and removes only the items the applier dropped', () => {
    let live = apply(undefined, { applied: widget({ tags: ['a', 'b'] }) });
    live = apply(live, { manager: 'ops', applied: widget({ tags: ['c'] }) });
    expect((live.spec as { tags: string[] }).tags).to.deep.equal(['a', 'b', 'c']);
    live = apply(live, { applied: widget({ tags: ['a'] }), now: T2 });
    expect((live.spec as { tags: string[] }).tags).to.deep.equal(['a', 'c']);
  });

  it('merges map lists by key and conflicts per item field', () => {
    let live = apply(undefined, { applied: widget({ ports: [{ name: 'http', port: 80 }] }) });
    live = apply(live, {
      manager: 'ops',
      applied: widget({ ports: [{ name: 'metrics', port: 9090 }] }),
    });
    expect((live.spec as { ports: unknown[] }).ports).to.deep.equal([
      { name: 'http', port: 80 },
      { name: 'metrics', port: 9090 },
    ]);
    const e = thrown(() =>
      apply(live, { manager: 'ops', applied: widget({ ports: [{ name: 'http', port: 8080 }] }) }),
    );
    expect(e.message).to.equal(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.ports[name="http"].port',
    );
    // A second applier may add fields to an item it shares.
    live = apply(live, {
      manager: 'ops',
      applied: widget({
        ports: [
          { name: 'metrics', port: 9090 },
          { name: 'http', protocol: 'TCP' },
        ],
      }),
    });
    // ops' order wins for the items it applies; kubectl's port goes, ops' part of http stays.
    live = apply(live, { applied: widget({ ports: [] }), now: T2 });
    expect((live.spec as { ports: unknown[] }).ports).to.deep.equal([
      { name: 'metrics', port: 9090 },
      { name: 'http', protocol: 'TCP' },
    ]);
  });

  it('replaces atomic lists and maps whole', () => {
    let live = apply(undefined, {
      applied: widget({ args: ['-a', '-b'], selector: { x: '1', y: '2' } }),
    });
    live = apply(live, { applied: widget({ args: ['-c'], selector: { z: '3' } }), now: T2 });
    expect(live.spec).to.deep.equal({ args: ['-c'], selector: { z: '3' } });
  });

  it('makes the first apply to an untracked object conflict with before-first-apply', () => {
    const e = thrown(() => apply(widget({ size: 3 }), { applied: widget({ size: 5 }) }));
    expect(e.message).to.equal(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using example.com/v1: .spec.size',
    );
  });

  it('lets kubectl take fields the last-applied annotation vouches for', () => {
    const lastApplied = JSON.stringify(widget({ size: 3 })) + '\n';
    const live = created(
      widget({ size: 3 }, { annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } }),
      'kubectl-client-side-apply',
    );
    expect(() => apply(live, { manager: 'ops', applied: widget({ size: 5 }) })).to.throw();
    const out = apply(live, { applied: widget({ size: 5 }) });
    expect(out.spec).to.deep.equal({ size: 5 });
    expect(Object.keys(owners(out))).to.deep.equal([
      'kubectl/Apply',
      'kubectl-client-side-apply/Update',
    ]);
    expect(out.metadata.annotations?.[LAST_APPLIED_ANNOTATION]).to.equal(
      '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","namespace":"default"},"spec":{"size":5}}\n',
    );
  });

  it('records the subresource and leaves reset fields alone', () => {
    const live = apply(undefined, { applied: widget({ size: 3 }) });
    const out = apply(live, {
      manager: 'agent',
      subresource: 'status',
      resetFields: ['spec', 'metadata'],
      applied: { ...widget({ size: 9 }, { labels: { x: 'y' } }), status: { phase: 'Ready' } },
    });
    expect(out.spec).to.deep.equal({ size: 3 });
    expect(out.metadata.labels).to.equal(undefined);
    expect(out.status).to.deep.equal({ phase: 'Ready' });
    const entry = out.metadata.managedFields?.find(m => m.manager === 'agent');
    expect(entry).to.include({ operation: 'Apply', subresource: 'status' });
    expect(entry?.fieldsV1).to.deep.equal({ 'f:status': { '.': {}, 'f:phase': {} } });
  });

  const rejected: [string, KubeObject, string][] = [
    [
      'another apiVersion',
      { ...widget({ size: 1 }), apiVersion: 'example.com/v2' },
      'Incorrect version specified in apply patch. Specified patch version: example.com/v2, expected: example.com/v1',
    ],
    [
      'managedFields in the body',
      widget({ size: 1 }, { managedFields: [] }),
      'metadata.managedFields must be nil',
    ],
  ];
  for (const [name, applied, message] of rejected) {
    it(`answers 400 for an apply body with ${name}`, () => {
      const e = thrown(() => apply(undefined, { applied }));
      expect(e.code).to.equal(400);
      expect(e.message).to.equal(message);
    });
  }

  it('mutates neither the live object nor the configuration', () => {
    const live = apply(undefined, {
      applied: widget({ size: 3, env: { A: '1' }, ports: [{ name: 'p', port: 1 }] }),
    });
    const config = widget({ size: 4, env: { B: '2' }, ports: [{ name: 'p', port: 2 }] });
    const [liveCopy, configCopy] = [structuredClone(live), structuredClone(config)];
    apply(live, { applied: config, force: true, manager: 'ops' });
    expect(live).to.deep.equal(liveCopy);
    expect(config).to.deep.equal(configCopy);
  });
});
