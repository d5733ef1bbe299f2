// The creator's fieldsV1 is built in one walk and hash-consed (field-trie.ts); it must equal what
// the general path (walkFields → FieldSet → toFieldsV1) spells for the same object, duplicates
// included, and be shared, frozen, between objects of one shape.
import { expect } from 'chai';
import fc from 'fast-check';
import { fieldSetOf, recordUpdate } from '../../../../../api/patch/index.ts';
import { toFieldsV1 } from '../../../../../api/patch/apply/fields-v1.ts';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import type { KubeObject } from '../../../../../core/types/meta.ts';
import { API_VERSION, SCHEMA, T1, widget } from './builders.ts';

const creatorFields = (obj: KubeObject, schema: JSONSchemaProps): unknown => {
  const entries = recordUpdate({
    before: undefined,
    after: obj,
    schema,
    manager: 'creator',
    apiVersion: API_VERSION,
    now: T1,
  });
  expect(entries.length).to.be.at.most(1);
  return entries[0]?.fieldsV1;
};

const general = (obj: KubeObject, schema: JSONSchemaProps): unknown => {
  const set = fieldSetOf(obj, schema);
  return set.isEmpty() ? undefined : toFieldsV1(set);
};

// Any values, including duplicate set items, duplicate and missing list-map keys, nulls and
// wrong types where the schema expects an object or a list.
const key = fc.constantFrom('a', 'b', 'name', 'port');
const value = fc.jsonValue({ maxDepth: 3 });
const spec = fc.record(
  {
    size: value,
    tags: fc.array(fc.oneof(key, fc.integer({ min: 0, max: 2 })), { maxLength: 4 }),
    ports: fc.array(
      fc.oneof(fc.record({ name: key, port: fc.integer({ min: 1, max: 3 }) }), value),
      { maxLength: 4 },
    ),
    args: fc.array(value, { maxLength: 3 }),
    selector: fc.dictionary(key, value, { maxKeys: 2 }),
    env: fc.oneof(fc.dictionary(key, value, { maxKeys: 3 }), value),
    config: fc.dictionary(key, value, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
const meta = fc.record(
  {
    labels: fc.dictionary(key, fc.string({ maxLength: 2 }), { maxKeys: 2 }),
    finalizers: fc.array(key, { maxLength: 3 }),
    ownerReferences: fc.array(fc.record({ uid: key, name: key }, { requiredKeys: [] }), {
      maxLength: 2,
    }),
    uid: fc.constant('u-1'),
    resourceVersion: fc.constant('7'),
  },
  { requiredKeys: [] },
);

// A keyed list whose items hold maps and sets of their own, so that repeated and missing keys
// merge whole subtrees.
const NESTED: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              opts: { type: 'object', additionalProperties: { type: 'string' } },
              tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
              inner: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['id'],
                items: { type: 'object', properties: { id: { type: 'string' }, v: {} } },
              },
            },
          },
        },
      },
    },
  },
};

const rule = fc.record(
  {
    name: key,
    opts: fc.oneof(fc.dictionary(key, fc.string({ maxLength: 1 }), { maxKeys: 2 }), value),
    tags: fc.array(key, { maxLength: 3 }),
    inner: fc.array(fc.oneof(fc.record({ id: key, v: value }, { requiredKeys: [] }), value), {
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);

describe('creator fieldsV1 (field-trie.ts)', () => {
  it('merges the fields of list items that share a key as the general path does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(rule, value), { maxLength: 5 }), rules => {
        const obj = widget({ rules });
        expect(creatorFields(obj, NESTED)).to.deep.equal(general(obj, NESTED));
      }),
      { numRuns: 300 },
    );
  });

  it('tells a member from a plain step with the same children (metadata and a map alike)', () => {
    const labels = { a: 'b' };
    const obj = widget({ config: { labels } }, { labels });
    const want = { 'f:labels': { '.': {}, 'f:a': {} } };
    expect(creatorFields(obj, SCHEMA)).to.deep.equal({
      'f:metadata': want,
      'f:spec': { '.': {}, 'f:config': { '.': {}, ...want } },
    });
    expect(creatorFields(obj, SCHEMA)).to.deep.equal(general(obj, SCHEMA));
    // a map whose key is spelled like a path element is not metadata either
    const odd = widget({ config: { 'f:labels': labels } }, { labels });
    expect(creatorFields(odd, SCHEMA)).to.deep.equal(general(odd, SCHEMA));
  });

  it('shares one frozen trie between objects that set the same fields', () => {
    const a = creatorFields(widget({ size: 1, env: { A: 'x' } }), SCHEMA) as object;
    const b = creatorFields(widget({ size: 2, env: { A: 'y' } }), SCHEMA) as object;
    const c = creatorFields(widget({ size: 2, env: { B: 'y' } }), SCHEMA) as object;
    expect(a).to.equal(b);
    expect(c).not.to.equal(a);
    expect(Object.isFrozen(a)).to.equal(true);
    expect(Object.isFrozen((a as Record<string, object>)['f:spec'])).to.equal(true);
  });

  it('spells the fields of a created object as the general field-set path does', () => {
    fc.assert(
      fc.property(spec, meta, fc.option(value, { nil: undefined }), (s, m, status) => {
        const obj = widget(s, m);
        if (status !== undefined) (obj as Record<string, unknown>)['status'] = status;
        expect(creatorFields(obj, SCHEMA)).to.deep.equal(general(obj, SCHEMA));
      }),
      { numRuns: 300 },
    );
  });

  it('owns nothing for an object that sets only stripped fields', () => {
    const obj: KubeObject = { apiVersion: API_VERSION, kind: 'Widget', metadata: { name: 'w' } };
    expect(creatorFields(obj, SCHEMA)).to.equal(undefined);
    expect(general(obj, SCHEMA)).to.equal(undefined);
  });

  it('keeps metadata a plain step when only its children are owned', () => {
    const obj = widget(undefined, { labels: { a: 'b' } });
    expect(creatorFields(obj, SCHEMA)).to.deep.equal({
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    });
  });
});
