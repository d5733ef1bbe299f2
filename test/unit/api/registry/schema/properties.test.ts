// Property tests: random structural schemas against random objects whose keys overlap them.
import { expect } from 'chai';
import fc from 'fast-check';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import {
  applyDefaults,
  checkStructural,
  prune,
  validate,
} from '../../../../../api/registry/schema/index.ts';

const KEYS = ['a', 'b', 'c', 'kind', 'metadata', 'constructor'];

// Keys with undefined values are dropped, so the schema reads as written YAML would.
const clean = (o: Record<string, unknown>): JSONSchemaProps =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

const scalarSchema: fc.Arbitrary<JSONSchemaProps> = fc
  .oneof(
    fc.record({
      type: fc.constant('string'),
      nullable: maybe(fc.constant(true)),
      default: maybe(fc.constantFrom('x', 'y')),
    }),
    fc.record({
      type: fc.constant('integer'),
      nullable: maybe(fc.constant(true)),
      default: maybe(fc.integer({ min: -3, max: 3 })),
    }),
    fc.record({ type: fc.constant('boolean'), default: maybe(fc.boolean()) }),
    fc.record({ 'x-kubernetes-int-or-string': fc.constant(true) }),
  )
  .map(clean);

const { schema } = fc.letrec<{
  schema: JSONSchemaProps;
  object: JSONSchemaProps;
  map: JSONSchemaProps;
  array: JSONSchemaProps;
}>(tie => ({
  schema: fc.oneof({ depthSize: 'small' }, scalarSchema, tie('object'), tie('map'), tie('array')),
  object: fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { maxKeys: 3 }),
      preserve: fc.boolean(),
      embedded: fc.boolean(),
    })
    .map(({ properties, preserve, embedded }) =>
      clean({
        type: 'object',
        properties,
        'x-kubernetes-preserve-unknown-fields': preserve ? true : undefined,
        'x-kubernetes-embedded-resource':
          embedded && (preserve || Object.keys(properties).length > 0) ? true : undefined,
      }),
    ),
  map: tie('schema').map(values => ({ type: 'object', additionalProperties: values })),
  array: fc.record({ items: tie('schema'), preserve: fc.boolean() }).map(({ items, preserve }) =>
    clean({
      type: 'array',
      items,
      'x-kubernetes-preserve-unknown-fields': preserve ? true : undefined,
    }),
  ),
}));

// A root schema: an object whose properties never redefine the type meta fields.
const rootSchema: fc.Arbitrary<JSONSchemaProps> = fc
  .record({
    properties: fc.dictionary(fc.constantFrom('a', 'b', 'spec'), schema, { maxKeys: 3 }),
    preserve: fc.boolean(),
  })
  .map(({ properties, preserve }) =>
    clean({
      type: 'object',
      properties,
      'x-kubernetes-preserve-unknown-fields': preserve ? true : undefined,
    }),
  )
  .filter(s => checkStructural(s, '').length === 0);

const { value } = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, 0, 7, -2.5, 'x', ''),
    fc.dictionary(fc.constantFrom(...KEYS, 'x', 'y'), tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
}));

const object = fc
  .record({
    fields: fc.dictionary(fc.constantFrom('a', 'b', 'spec', 'status'), value, { maxKeys: 4 }),
    junk: fc.boolean(),
  })
  .map(({ fields, junk }) => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: junk ? { name: 'w', bogus: { x: 1 } } : { name: 'w' },
    ...fields,
  }));

const unknownFields = (obj: unknown, s: JSONSchemaProps): string[] =>
  validate(obj, s, { unknownFields: 'reject' })
    .filter(c => c.message === 'Forbidden: unknown field')
    .map(c => c.field ?? '');

describe('schema engine properties', () => {
  it('prune is idempotent', () => {
    fc.assert(
      fc.property(rootSchema, object, (s, obj) => {
        prune(obj, s);
        const once = structuredClone(obj);
        expect(prune(obj, s).pruned).to.deep.equal([]);
        expect(obj).to.deep.equal(once);
      }),
    );
  });

  it('validate never reports unknown fields after prune', () => {
    fc.assert(
      fc.property(rootSchema, object, (s, obj) => {
        prune(obj, s);
        expect(unknownFields(obj, s)).to.deep.equal([]);
      }),
    );
  });

  it('every unknown field validate reports is one prune removes', () => {
    fc.assert(
      fc.property(rootSchema, object, (s, obj) => {
        const unknown = unknownFields(obj, s);
        const { pruned } = prune(structuredClone(obj), s);
        expect(pruned).to.include.members(unknown);
      }),
    );
  });

  it('applyDefaults is idempotent and keeps the object pruned', () => {
    fc.assert(
      fc.property(rootSchema, object, (s, obj) => {
        prune(obj, s);
        applyDefaults(obj, s);
        const once = structuredClone(obj);
        applyDefaults(obj, s);
        expect(obj).to.deep.equal(once);
        expect(prune(obj, s).pruned).to.deep.equal([]);
      }),
    );
  });

  it('checkStructural never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), s => {
        expect(checkStructural(s as JSONSchemaProps, 'x')).to.be.an('array');
      }),
    );
  });

  it('prune, applyDefaults and validate never throw on arbitrary JSON', () => {
    fc.assert(
      fc.property(rootSchema, fc.jsonValue(), (s, obj) => {
        prune(obj, s);
        applyDefaults(obj, s);
        expect(validate(obj, s, { unknownFields: 'reject' })).to.be.an('array');
      }),
    );
  });
});
