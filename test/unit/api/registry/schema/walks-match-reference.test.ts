// The schema engine reads each schema node once and spells field paths only for failures; it
// must still do exactly what the plain walks did (kept in reference/): the same object after
// prune and defaults, the same pruned paths, the same causes in the same order, on random
// schemas that use every keyword the walks look at, and random objects that half fit them.
import { expect } from 'chai';
import fc from 'fast-check';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import type { StatusCause } from '../../../../../core/errors/index.ts';
import { applyDefaults, prune, validate } from '../../../../../api/registry/schema/index.ts';
import { pruneDefaultValidate } from '../../../../../api/registry/schema/write-pass.ts';
import { loadCrds } from '../../../crds/load-crds.ts';
import { applyDefaults as refDefaults } from './reference/defaults.ts';
import { prune as refPrune } from './reference/prune.ts';
import { validate as refValidate } from './reference/validate.ts';

const KEYS = ['a', 'b', 'c', 'kind', 'metadata', 'apiVersion', 'constructor', '__proto__', '1'];

// Keys with undefined values are dropped, so the schema reads as written YAML would.
const clean = (o: Record<string, unknown>): JSONSchemaProps =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined });

const scalar = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  3,
  -2.5,
  'x',
  '',
  'ab',
  '𝄞𝄞',
  '𝄞x𝄞',
  '\ud834',
  'Z-9',
);

const scalarSchema: fc.Arbitrary<JSONSchemaProps> = fc
  .oneof(
    fc.record({
      type: fc.constant('string'),
      nullable: maybe(fc.constant(true)),
      default: maybe(fc.constantFrom('x', 'yy', null)),
      minLength: maybe(fc.integer({ min: 0, max: 4 })),
      maxLength: maybe(fc.integer({ min: 0, max: 4 })),
      pattern: maybe(fc.constantFrom('^[a-z]+$', '(?i)^x', 'b', '[')),
      enum: maybe(fc.constantFrom(['x', 'ab'], ['x', 1, null], [{ a: 1 }, 'Z-9'])),
      format: maybe(fc.constantFrom('int32', 'uuid', 'date', 'byte', 'nonsense')),
      not: maybe(fc.constant({ enum: ['x'] })),
      anyOf: maybe(fc.constant([{ minLength: 2 }, { pattern: '^Z' }])),
    }),
    fc.record({
      type: fc.constantFrom('integer', 'number'),
      nullable: maybe(fc.constant(true)),
      default: maybe(fc.integer({ min: -3, max: 3 })),
      minimum: maybe(fc.integer({ min: -2, max: 2 })),
      maximum: maybe(fc.integer({ min: -2, max: 4 })),
      exclusiveMinimum: maybe(fc.boolean()),
      exclusiveMaximum: maybe(fc.boolean()),
      multipleOf: maybe(fc.constantFrom(0.5, 2, 3)),
      format: maybe(fc.constantFrom('int32', 'float', 'nonsense')),
    }),
    fc.record({ type: fc.constant('boolean'), default: maybe(fc.boolean()) }),
    fc.record({
      'x-kubernetes-int-or-string': fc.constant(true),
      pattern: maybe(fc.constant('^[0-9]+$')),
      minimum: maybe(fc.constant(0)),
    }),
  )
  .map(clean);

const { schema } = fc.letrec<{
  schema: JSONSchemaProps;
  object: JSONSchemaProps;
  map: JSONSchemaProps;
  array: JSONSchemaProps;
}>(tie => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarSchema,
    tie('object'),
    tie('map'),
    tie('array'),
  ),
  object: fc
    .record({
      properties: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { maxKeys: 3 }),
      preserve: fc.boolean(),
      embedded: fc.boolean(),
      required: fc.subarray(['a', 'b', 'kind']),
      minProperties: maybe(fc.integer({ min: 0, max: 2 })),
      maxProperties: maybe(fc.integer({ min: 0, max: 3 })),
      nullable: maybe(fc.constant(true)),
      // a default may hold nulls: kube drops nulls from what the client sent, not from defaults
      default: maybe(fc.constantFrom<unknown>({}, { a: 'x' }, null, { a: null, b: { c: null } })),
      anyOf: maybe(fc.array(scalarSchema, { minLength: 1, maxLength: 2 })),
      not: maybe(scalarSchema),
    })
    .map(r =>
      clean({
        type: 'object',
        properties: r.properties,
        'x-kubernetes-preserve-unknown-fields': r.preserve ? true : undefined,
        'x-kubernetes-embedded-resource': r.embedded ? true : undefined,
        required: r.required.length > 0 ? r.required : undefined,
        minProperties: r.minProperties,
        maxProperties: r.maxProperties,
        nullable: r.nullable,
        default: r.default,
        anyOf: r.anyOf,
        not: r.not,
      }),
    ),
  map: fc
    .record({
      values: fc.oneof(tie('schema'), fc.boolean()),
      default: maybe(fc.constantFrom<unknown>({ k: 1 }, null, { a: null })),
    })
    .map(r => clean({ type: 'object', additionalProperties: r.values, default: r.default })),
  array: fc
    .record({
      items: maybe(tie('schema')),
      preserve: fc.boolean(),
      listType: maybe(fc.constantFrom('set', 'map', 'atomic')),
      uniqueItems: maybe(fc.constant(true)),
      minItems: maybe(fc.integer({ min: 0, max: 2 })),
      maxItems: maybe(fc.integer({ min: 0, max: 3 })),
      oneOf: maybe(fc.array(tie('schema'), { minLength: 1, maxLength: 2 })),
    })
    .map(r =>
      clean({
        type: 'array',
        items: r.items,
        'x-kubernetes-preserve-unknown-fields': r.preserve ? true : undefined,
        'x-kubernetes-list-type': r.listType,
        'x-kubernetes-list-map-keys': r.listType === 'map' ? ['a'] : undefined,
        uniqueItems: r.uniqueItems,
        minItems: r.minItems,
        maxItems: r.maxItems,
        oneOf: r.oneOf,
      }),
    ),
}));

const rootSchema: fc.Arbitrary<JSONSchemaProps> = fc
  .record({
    properties: fc.dictionary(fc.constantFrom('a', 'b', 'spec', 'metadata'), schema, {
      maxKeys: 3,
    }),
    preserve: fc.boolean(),
    required: fc.subarray(['spec', 'a']),
  })
  .map(r =>
    clean({
      type: 'object',
      properties: r.properties,
      'x-kubernetes-preserve-unknown-fields': r.preserve ? true : undefined,
      required: r.required.length > 0 ? r.required : undefined,
    }),
  );

const { value } = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.dictionary(fc.constantFrom(...KEYS, 'x'), tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
}));

const object = fc
  .record({
    fields: fc.dictionary(fc.constantFrom('a', 'b', 'spec', 'status'), value, { maxKeys: 4 }),
    meta: fc.dictionary(fc.constantFrom('name', 'labels', 'bogus', 'ownerReferences'), value, {
      maxKeys: 3,
    }),
  })
  .map(({ fields, meta }) => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', ...meta },
    ...fields,
  }));

interface Outcome {
  readonly pruned: string[];
  readonly json: string;
  readonly causes: StatusCause[];
  readonly rejected: StatusCause[];
}

function run(
  obj: unknown,
  s: JSONSchemaProps,
  walks: {
    prune: typeof prune;
    applyDefaults: typeof applyDefaults;
    validate: typeof validate;
  },
): Outcome {
  const copy = structuredClone(obj);
  const rejected = walks.validate(copy, s, { unknownFields: 'reject', path: 'x' });
  const { pruned } = walks.prune(copy, s);
  walks.applyDefaults(copy, s);
  const causes = walks.validate(copy, s);
  return { pruned, json: JSON.stringify(copy), causes, rejected };
}

const engine = { prune, applyDefaults, validate };
const reference = { prune: refPrune, applyDefaults: refDefaults, validate: refValidate };

// fusedRun is run's outcome from the one-walk pass (write-pass.ts), for the same object.
function fusedRun(obj: unknown, s: JSONSchemaProps): Outcome {
  const copy = structuredClone(obj);
  const rejected = validate(copy, s, { unknownFields: 'reject', path: 'x' });
  const { pruned, causes } = pruneDefaultValidate(copy, s);
  return { pruned, json: JSON.stringify(copy), causes, rejected };
}

// same checks the engine, the fused pass and the reference agree on obj.
function same(obj: unknown, s: JSONSchemaProps): Outcome {
  const want = run(obj, s, reference);
  expect(run(obj, s, engine)).to.deep.equal(want);
  expect(fusedRun(obj, s)).to.deep.equal(want);
  return want;
}

describe('schema engine walks match the plain reference walks', () => {
  it('prune, default and validate random objects against random schemas exactly alike', () => {
    fc.assert(
      fc.property(rootSchema, object, (s, obj) => {
        same(obj, s);
      }),
      { numRuns: 2000 },
    );
  });

  it('count string lengths in code points alike (surrogate pairs are one)', () => {
    for (const [min, max] of [
      [2, 2],
      [3, undefined],
      [undefined, 1],
      [undefined, 3],
      [4, 4],
    ] as const) {
      const s: JSONSchemaProps = {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            additionalProperties: clean({ type: 'string', minLength: min, maxLength: max }),
          },
        },
      };
      const obj = { spec: { a: '𝄞𝄞', b: '𝄞x𝄞', c: '\ud834\ud834', d: 'abc', e: '\udd1e\ud834' } };
      const got = same(obj, s);
      if (min === 3) expect(got.causes).to.have.length(3);
    }
  });

  it('report unknown fields below preserve-unknown-fields arrays alike, nested ones too', () => {
    const items: JSONSchemaProps = { type: 'object', properties: { a: { type: 'string' } } };
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'array',
          'x-kubernetes-preserve-unknown-fields': true,
          items: { type: 'array', items },
        },
        status: { type: 'array', items: { type: 'array', items } },
      },
    };
    const obj = { spec: [[{ a: 'x', extra: 1 }]], status: [[{ a: 'x', extra: 1 }]] };
    const got = same(obj, s);
    expect(got.rejected).to.deep.equal([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: unknown field',
        field: 'x.status[0][0].extra',
      },
    ]);
  });

  it('report an object’s own failures before its members’, after defaults and pruning', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          maxProperties: 2,
          enum: [{ a: 'x', b: 1 }],
          properties: { a: { type: 'string' }, b: { type: 'integer', default: 1 } },
        },
        list: {
          type: 'array',
          maxItems: 1,
          enum: [['x']],
          items: { type: 'object', properties: { n: { type: 'integer' } } },
        },
      },
    };
    const obj = { spec: { a: 7, c: 1, d: 2 }, list: [{ n: 'x' }, { n: 'y', z: 1 }] };
    const got = same(obj, s);
    expect(got.causes.map(c => c.field)).to.deep.equal([
      'spec',
      'spec.a',
      'list',
      'list[0].n',
      'list[1].n',
      'list',
    ]);
  });

  it('check the junctors of scalars that pass their own checks', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            a: { type: 'string', not: { enum: ['x'] } },
            b: { type: 'string', anyOf: [{ minLength: 2 }, { pattern: '^Z' }] },
          },
        },
      },
    };
    const got = same({ spec: { a: 'x', b: 'y' } }, s);
    expect(got.causes.map(c => c.field)).to.deep.equal(['spec.a', 'spec.b', 'spec.b']);
  });

  it('keep the nulls of a default given to a null array item', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'array',
          items: { type: 'object', properties: { a: { type: 'string' } }, default: { a: null } },
        },
      },
    };
    const obj = { spec: [null, { a: null }] };
    const got = same(obj, s);
    expect(JSON.parse(got.json)).to.deep.include({ spec: [{ a: null }, {}] });
  });

  it('handle arbitrary JSON alike', () => {
    fc.assert(
      fc.property(rootSchema, fc.jsonValue(), (s, obj) => {
        same(obj, s);
      }),
      { numRuns: 500 },
    );
  });

  it('handle the repository CRDs and objects that half fit them alike', () => {
    const crds = [...loadCrds().values()].map(
      c => c.crd.spec.versions[0]?.schema?.openAPIV3Schema ?? {},
    );
    fc.assert(
      fc.property(fc.constantFrom(...crds), object, (s, obj) => {
        same(obj, s);
      }),
      { numRuns: 300 },
    );
  });

  it('leave the stored root members a status write keeps as they are, and walk the rest', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { a: { type: 'string' }, d: { type: 'string', default: 'x' } },
        },
        status: { type: 'object', properties: { b: { type: 'integer' } } },
      },
    };
    const obj = { spec: { a: 1, unknown: true }, status: { b: 'no', stray: 1 } };
    const got = pruneDefaultValidate(obj, s, new Set(['spec']));
    expect(got.causes.map(c => c.field)).to.deep.equal(['status.b']);
    expect(got.pruned).to.deep.equal(['status.stray']);
    expect(obj.spec, 'spec as it was: not pruned, defaulted or validated').to.deep.equal({
      a: 1,
      unknown: true,
    });
    const all = pruneDefaultValidate({ spec: { a: 1, unknown: true } }, s);
    expect(
      all.causes.map(c => c.field),
      'the same spec walked',
    ).to.deep.equal(['spec.a']);
  });
});
