import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { prune } from '../../../../../api/registry/schema/index.ts';
import { rootWith, widget } from './helpers.ts';

interface Row {
  readonly name: string;
  readonly schema: JSONSchemaProps;
  readonly input: Record<string, unknown>;
  readonly output: Record<string, unknown>;
  readonly pruned: string[];
}

const spec = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps =>
  rootWith({ type: 'object', properties });

const rows: Row[] = [
  {
    name: 'drops unknown root fields but keeps apiVersion, kind and metadata',
    schema: spec({}),
    input: widget({}, { status: { x: 1 }, extra: true }),
    output: widget({}),
    pruned: ['status', 'extra'],
  },
  {
    name: 'keeps only standard ObjectMeta fields in metadata',
    schema: spec({}),
    input: {
      apiVersion: 'v1',
      kind: 'W',
      metadata: { name: 'a', labels: { x: 'y' }, bogus: 1, selfLink: '/x' },
    },
    output: {
      apiVersion: 'v1',
      kind: 'W',
      metadata: { name: 'a', labels: { x: 'y' }, selfLink: '/x' },
    },
    pruned: ['metadata.bogus'],
  },
  {
    name: 'drops unknown fields of ownerReferences and managedFields entries',
    schema: spec({}),
    input: {
      metadata: {
        ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', extra: 1 }],
        managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} }, junk: true }],
      },
    },
    output: {
      metadata: {
        ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u' }],
        managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }],
      },
    },
    pruned: ['metadata.ownerReferences[0].extra', 'metadata.managedFields[0].junk'],
  },
  {
    name: 'drops unknown nested fields at every depth',
    schema: spec({
      a: {
        type: 'object',
        properties: { b: { type: 'object', properties: { c: { type: 'string' } } } },
      },
    }),
    input: { spec: { a: { b: { c: 'x', d: 1 }, e: 2 }, f: 3 } },
    output: { spec: { a: { b: { c: 'x' } } } },
    pruned: ['spec.a.b.d', 'spec.a.e', 'spec.f'],
  },
  {
    name: 'prunes inside array items with indexed paths',
    schema: spec({
      items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
    }),
    input: { spec: { items: [{ name: 'a', bar: 1 }, { name: 'b' }, { bar: 2 }] } },
    output: { spec: { items: [{ name: 'a' }, { name: 'b' }, {}] } },
    pruned: ['spec.items[0].bar', 'spec.items[2].bar'],
  },
  {
    name: 'keeps every key of a map and prunes its values by the additionalProperties schema',
    schema: spec({
      limits: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { value: { type: 'integer' } } },
      },
    }),
    input: { spec: { limits: { cpus: { value: 1, unit: 'x' }, mem: { value: 2 } } } },
    output: { spec: { limits: { cpus: { value: 1 }, mem: { value: 2 } } } },
    pruned: ['spec.limits.cpus.unit'],
  },
  {
    name: 'keeps an x-kubernetes-preserve-unknown-fields subtree whole',
    schema: spec({ config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }),
    input: { spec: { config: { any: { deep: [1, { x: 2 }] } }, other: 1 } },
    output: { spec: { config: { any: { deep: [1, { x: 2 }] } } } },
    pruned: ['spec.other'],
  },
  {
    name: 'still prunes specified fields below x-kubernetes-preserve-unknown-fields',
    schema: spec({
      config: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { strict: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    }),
    input: { spec: { config: { free: 1, strict: { a: 'x', b: 2 } } } },
    output: { spec: { config: { free: 1, strict: { a: 'x' } } } },
    pruned: ['spec.config.strict.b'],
  },
  {
    name: 'keeps unknown keys of items of a preserved array, as kube does',
    schema: spec({
      list: {
        type: 'array',
        'x-kubernetes-preserve-unknown-fields': true,
        items: {
          type: 'object',
          properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
    }),
    input: { spec: { list: [{ free: 1, known: { a: 'x', b: 2 } }] } },
    output: { spec: { list: [{ free: 1, known: { a: 'x' } }] } },
    pruned: ['spec.list[0].known.b'],
  },
  {
    name: 'keeps apiVersion, kind and standard metadata of an embedded resource',
    schema: spec({
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
      },
    }),
    input: {
      spec: {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', junk: 1 },
          spec: { image: 'i', x: 1 },
          y: 2,
        },
      },
    },
    output: {
      spec: {
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'i' } },
      },
    },
    pruned: ['spec.template.metadata.junk', 'spec.template.spec.x', 'spec.template.y'],
  },
  {
    name: 'keeps a preserved embedded resource whole except its metadata',
    schema: spec({
      raw: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    }),
    input: {
      spec: { raw: { apiVersion: 'v1', kind: 'X', metadata: { bad: 1 }, anything: { goes: 1 } } },
    },
    output: { spec: { raw: { apiVersion: 'v1', kind: 'X', metadata: {}, anything: { goes: 1 } } } },
    pruned: ['spec.raw.metadata.bad'],
  },
  {
    name: 'does not treat apiVersion/kind/metadata as special below the root',
    schema: spec({ ref: { type: 'object', properties: { name: { type: 'string' } } } }),
    input: { spec: { ref: { name: 'x', kind: 'K', metadata: {} } } },
    output: { spec: { ref: { name: 'x' } } },
    pruned: ['spec.ref.kind', 'spec.ref.metadata'],
  },
  {
    name: 'leaves values of the wrong type for validation to report',
    schema: spec({ a: { type: 'object', properties: { b: { type: 'string' } } } }),
    input: { spec: { a: 'not an object' } },
    output: { spec: { a: 'not an object' } },
    pruned: [],
  },
  {
    name: 'removes properties named like Object.prototype members when not specified',
    schema: spec({}),
    input: { spec: { constructor: 1, toString: 2 } },
    output: { spec: {} },
    pruned: ['spec.constructor', 'spec.toString'],
  },
  {
    name: 'keeps everything under a root that preserves unknown fields',
    schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    input: widget({ a: 1 }, { status: { b: 2 } }),
    output: widget({ a: 1 }, { status: { b: 2 } }),
    pruned: [],
  },
];

describe('prune', () => {
  for (const row of rows) {
    it(row.name, () => {
      const obj = structuredClone(row.input);
      const { pruned } = prune(obj, row.schema);
      expect(obj).to.deep.equal(row.output);
      expect(pruned).to.deep.equal(row.pruned);
    });
  }

  it('mutates the object it is given', () => {
    const obj = widget({ gone: 1 });
    prune(obj, spec({}));
    expect(obj['spec']).to.deep.equal({});
  });
});
