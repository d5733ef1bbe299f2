import { expect } from 'chai';
import fc from 'fast-check';
import { compareObjects, FieldSet, serverSideApply } from '../../../../../api/patch/index.ts';
import { diffFields } from '../../../../../api/patch/apply/field-diff.ts';
import {
  recordUpdate,
  recordUpdateByDecoding,
} from '../../../../../api/patch/apply/record-update.ts';
import type { UpdateOptions } from '../../../../../api/patch/apply/record-update.ts';
import { editStoredEntries } from '../../../../../api/patch/apply/update-entries.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../../../../core/types/meta.ts';
import { API_VERSION, SCHEMA, T1, T2, T3, widget } from './builders.ts';

// Objects of the Widget schema; `tags` (a set) and `ports` (keyed by name) may repeat an item,
// which kube's validation would refuse but the walks must still agree on (or give up).
const key = fc.constantFrom('a', 'b', 'c', 'd');
const spec = fc.record(
  {
    size: fc.integer({ min: 0, max: 3 }),
    color: key,
    tags: fc.array(key, { maxLength: 3 }),
    ports: fc.array(
      fc.record({ name: key, port: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['name'] }),
      { maxLength: 3 },
    ),
    args: fc.array(key, { maxLength: 2 }),
    selector: fc.dictionary(key, key, { maxKeys: 2 }),
    env: fc.dictionary(key, key, { maxKeys: 2 }),
    config: fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);
const labels = fc.dictionary(key, key, { maxKeys: 2 });
const phase = fc.option(key, { nil: undefined });

const object = fc.tuple(spec, labels, phase).map(([s, l, p]) => ({
  ...widget(s, Object.keys(l).length > 0 ? { labels: l } : {}),
  ...(p === undefined ? {} : { status: { phase: p } }),
}));

const manager = fc.constantFrom('kubectl', 'ctl', 'agent');

/** Write is one step of an object's history: an apply, an update, or a status update. */
type Write = { type: 'apply' | 'update' | 'status'; manager: string; obj: KubeObject };
const write = fc.record({
  type: fc.constantFrom<Write['type']>('apply', 'update', 'status'),
  manager,
  obj: object,
});

const stored = (o: KubeObject): KubeObject => JSON.parse(JSON.stringify(o)) as KubeObject;

// afterOf is `w` as the server would store it over `live` (before managedFields are recorded):
// a status write keeps everything but status, an update keeps status.
function afterOf(live: KubeObject, w: Write): KubeObject {
  const { status, ...rest } = w.obj;
  if (w.type === 'status') {
    const kept: KubeObject = { ...live };
    delete kept['status'];
    return stored({ ...kept, ...(status === undefined ? {} : { status }) });
  }
  const meta = { ...live.metadata };
  delete meta.labels;
  const labels = w.obj.metadata.labels;
  if (labels !== undefined) meta.labels = labels;
  const out: KubeObject = { ...rest, metadata: meta };
  if (live['status'] !== undefined) out['status'] = live['status'];
  return stored(out);
}

function optsOf(before: KubeObject, w: Write, now: string): UpdateOptions {
  return {
    before,
    after: afterOf(before, w),
    schema: SCHEMA,
    manager: w.manager,
    apiVersion: API_VERSION,
    ...(w.type === 'status' ? { subresource: 'status' } : {}),
    now,
  };
}

// history runs writes from a create by `ctl`, each recorded by the general path.
function history(writes: readonly Write[]): KubeObject {
  let live = stored({
    ...widget({ size: 1 }),
    metadata: {
      name: 'w1',
      namespace: 'default',
      managedFields: recordUpdate({
        before: undefined,
        after: widget({ size: 1 }),
        schema: SCHEMA,
        manager: 'ctl',
        apiVersion: API_VERSION,
        now: T1,
      }),
    },
  });
  for (const w of writes) {
    if (w.type === 'apply') {
      live = stored(
        serverSideApply({
          live,
          applied: w.obj,
          schema: SCHEMA,
          manager: w.manager,
          force: true,
          apiVersion: API_VERSION,
          now: T2,
        }),
      );
      continue;
    }
    const opts = optsOf(live, w, T2);
    const managedFields = recordUpdateByDecoding(opts);
    live = stored({ ...opts.after, metadata: { ...opts.after.metadata, managedFields } });
  }
  return live;
}

// entry is a managedFields entry as encodeManagers writes it (members in its order)
const entry = ({
  manager,
  ...rest
}: Partial<ManagedFieldsEntry> & Pick<ManagedFieldsEntry, 'manager'>): ManagedFieldsEntry => ({
  manager,
  operation: 'Update',
  apiVersion: API_VERSION,
  time: T1,
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:size': {} } },
  ...rest,
});

// the options of `manager`'s write at `now` that turns `before` into `after`
const writeBy = (
  manager: string,
  now: string,
  change: { readonly before: KubeObject; readonly after: KubeObject },
) => ({ ...change, schema: SCHEMA, manager, apiVersion: API_VERSION, now });

describe('recordUpdate by editing the stored entries', () => {
  it('gives what decoding gives, for any history and any next write', () => {
    let edited = 0;
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 4 }),
        write,
        fc.constantFrom('none', 'echo', 'reversed'),
        (writes, last, sent) => {
          const before = history(writes);
          const opts = optsOf(before, last, T3);
          const list = before.metadata.managedFields ?? [];
          // a client may send the list it read back (leases.ts does), or another one
          if (sent === 'echo')
            opts.after.metadata.managedFields = stored({ ...before }).metadata.managedFields ?? [];
          if (sent === 'reversed') opts.after.metadata.managedFields = [...list].reverse();
          if (editStoredEntries({ ...opts, before }) !== undefined) edited += 1;
          expect(recordUpdate(opts)).to.deep.equal(recordUpdateByDecoding(opts));
        },
      ),
      { numRuns: 500 },
    );
    // most lists the server writes are edited, not decoded
    expect(edited).to.be.greaterThan(250);
  });

  it('only moves the time of the writer that changes what it already owns (a Lease renewal)', () => {
    const before = stored({
      ...widget({ size: 1 }),
      metadata: { name: 'w1', namespace: 'default', managedFields: [entry({ manager: 'agent' })] },
    });
    // sent without managedFields: the stored list is the one edited
    const after = stored({
      ...widget({ size: 2 }),
      metadata: { name: 'w1', namespace: 'default' },
    });
    const edited = editStoredEntries(writeBy('agent', T2, { before, after }));
    expect(edited).to.deep.equal([entry({ manager: 'agent', time: T2 })]);
    // the unchanged trie is shared with the stored entry, not copied
    expect(edited?.[0]?.fieldsV1).to.equal(before.metadata.managedFields?.[0]?.fieldsV1);
  });

  it('shares one frozen trie among the objects a write of the same fields makes', () => {
    const write = (name: string, size: number): ManagedFieldsEntry[] | undefined => {
      const before = stored({
        ...widget({ size: 1 }),
        metadata: { name, namespace: 'default', managedFields: [entry({ manager: 'ctl' })] },
      });
      const after = stored({ ...before, status: { phase: `p${size}` } });
      return editStoredEntries({
        ...writeBy('agent', T2, { before, after }),
        subresource: 'status',
      });
    };
    const a = write('w1', 1);
    const b = write('w2', 2);
    const trie = { 'f:status': { '.': {}, 'f:phase': {} } };
    expect(a?.[1]).to.deep.equal(
      entry({ manager: 'agent', time: T2, fieldsV1: trie, subresource: 'status' }),
    );
    // the same object, frozen all the way down, for both
    expect(a?.[1]?.fieldsV1).to.equal(b?.[1]?.fieldsV1);
    expect(Object.isFrozen(a?.[1]?.fieldsV1)).to.equal(true);
    expect(Object.isFrozen((a?.[1]?.fieldsV1 as Record<string, object>)['f:status'])).to.equal(
      true,
    );
  });

  it('freezes nothing the caller holds when it interns a trie', () => {
    const own = { 'f:spec': { 'f:size': {} } };
    const before = stored({
      ...widget({ size: 1, color: 'red' }),
      metadata: {
        name: 'w1',
        namespace: 'default',
        managedFields: [entry({ manager: 'agent', fieldsV1: own })],
      },
    });
    const after = stored({ ...before, spec: { size: 1, color: 'blue' } });
    const edited = editStoredEntries(writeBy('agent', T2, { before, after }));
    expect(edited?.[0]?.fieldsV1).to.deep.equal({ 'f:spec': { 'f:color': {}, 'f:size': {} } });
    expect(Object.isFrozen(edited?.[0]?.fieldsV1)).to.equal(true);
    const storedTrie = before.metadata.managedFields?.[0]?.fieldsV1 as Record<string, object>;
    expect(Object.isFrozen(storedTrie)).to.equal(false);
    expect(Object.isFrozen(storedTrie['f:spec'])).to.equal(false);
  });

  it('takes a field from its old owner and drops an owner left with nothing', () => {
    const before = stored({
      ...widget({ size: 1, color: 'red' }),
      metadata: {
        name: 'w1',
        namespace: 'default',
        managedFields: [
          entry({
            manager: 'ctl',
            fieldsV1: { 'f:spec': { '.': {}, 'f:color': {}, 'f:size': {} } },
          }),
          entry({ manager: 'old', time: T2, fieldsV1: { 'f:spec': { 'f:size': {} } } }),
        ],
      },
    });
    const after = stored({ ...before, spec: { size: 3, color: 'red' } });
    const opts = writeBy('new', T3, { before, after });
    expect(editStoredEntries(opts)).to.deep.equal([
      entry({ manager: 'ctl', fieldsV1: { 'f:spec': { '.': {}, 'f:color': {} } } }),
      entry({ manager: 'new', time: T3 }),
    ]);
  });

  it('leaves an untracked object untracked', () => {
    const before = stored(widget({ size: 1 }));
    const after = stored(widget({ size: 2 }));
    const opts = writeBy('x', T2, { before, after });
    expect(editStoredEntries(opts)).to.deep.equal([]);
  });

  const notCanonical: [string, unknown[]][] = [
    ['entries out of order', [entry({ manager: 'b' }), entry({ manager: 'a' })]],
    ['one identity twice', [entry({ manager: 'a' }), entry({ manager: 'a', time: T2 })]],
    [
      'members out of encode order',
      [
        {
          manager: 'a',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          apiVersion: API_VERSION,
          time: T1,
          fieldsV1: { 'f:spec': { 'f:size': {} } },
        },
      ],
    ],
    [
      'no fieldsType',
      [{ manager: 'a', operation: 'Update', apiVersion: API_VERSION, fieldsV1: {} }],
    ],
    ['an empty fieldsV1', [entry({ manager: 'a', fieldsV1: {} })]],
    [
      'unsorted fieldsV1 keys',
      [entry({ manager: 'a', fieldsV1: { 'f:spec': { 'f:size': {}, 'f:color': {} } } })],
    ],
    ['a lone `.`', [entry({ manager: 'a', fieldsV1: { 'f:spec': { '.': {} } } })]],
    ['a `.` at the root', [entry({ manager: 'a', fieldsV1: { '.': {}, 'f:spec': {} } })]],
    ['a bad path element', [entry({ manager: 'a', fieldsV1: { 'x:spec': {} } })]],
    ['an empty subresource', [entry({ manager: 'a', subresource: '' })]],
    ['an unknown operation', [entry({ manager: 'a', operation: 'Patch' as 'Update' })]],
  ];
  for (const [what, list] of notCanonical) {
    it(`decodes a list with ${what}, and answers the same`, () => {
      const before = stored({
        ...widget({ size: 1, color: 'red' }),
        metadata: { name: 'w1', namespace: 'default', managedFields: list as ManagedFieldsEntry[] },
      });
      const after = stored({ ...before, spec: { size: 2, color: 'red' } });
      const opts = writeBy('z', T2, { before, after });
      expect(editStoredEntries(opts)).to.equal(undefined);
      expect(recordUpdate(opts)).to.deep.equal(recordUpdateByDecoding(opts));
    });
  }

  it('leaves capping to the general path', () => {
    const many = Array.from({ length: 10 }, (_, i) =>
      entry({ manager: `m${i}`, fieldsV1: { 'f:spec': { [`f:k${i}`]: {} } } }),
    );
    const before = stored({
      ...widget({ size: 1 }),
      metadata: { name: 'w1', namespace: 'default', managedFields: many },
    });
    const after = stored({ ...before, spec: { size: 2 } });
    const opts = writeBy('new', T2, { before, after });
    expect(editStoredEntries(opts)).to.equal(undefined);
    expect(recordUpdate(opts).map(e => e.manager)).to.include('ancient-changes');
  });
});

describe('diffFields', () => {
  it('finds the paths compareObjects finds', () => {
    fc.assert(
      fc.property(object, object, (a, b) => {
        const diff = diffFields(a, b, SCHEMA);
        const cmp = compareObjects(a, b, SCHEMA);
        if (diff === undefined) return;
        expect(FieldSet.of(diff.changed).equals(cmp.added.union(cmp.modified))).to.equal(true);
        expect(FieldSet.of(diff.removed).equals(cmp.removed)).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives up on a changed list that holds one key twice', () => {
    const a = widget({ size: 1, tags: ['a', 'a'] });
    expect(diffFields(a, widget({ size: 1, tags: ['a'] }), SCHEMA)).to.equal(undefined);
    // an unchanged one walks alike: nothing differs
    expect(diffFields(a, widget({ size: 2, tags: ['a', 'a'] }), SCHEMA)).to.deep.equal({
      changed: [['f:spec', 'f:size']],
      removed: [],
    });
  });

  it('turns a value that changes shape into a change there, its old members removed', () => {
    const a = widget({ size: 1, env: { a: 'x' } });
    const b = widget({ size: 1, env: 'flat' });
    expect(diffFields(a, b, SCHEMA)).to.deep.equal({
      changed: [['f:spec', 'f:env']],
      removed: [['f:spec', 'f:env', 'f:a']],
    });
  });
});
