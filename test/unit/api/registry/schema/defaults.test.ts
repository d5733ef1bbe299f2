import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { applyDefaults, prune, validate } from '../../../../../api/registry/schema/index.ts';
import { render, rootWith, widget } from './helpers.ts';

interface Row {
  readonly name: string;
  readonly spec: JSONSchemaProps;
  readonly input: unknown;
  readonly output: unknown;
}

const obj = (
  properties: Record<string, JSONSchemaProps>,
  extra: Partial<JSONSchemaProps> = {},
): JSONSchemaProps => ({
  type: 'object',
  properties,
  ...extra,
});

const rows: Row[] = [
  {
    name: 'sets the default of a missing property',
    spec: obj({ replicas: { type: 'integer', default: 1 } }),
    input: {},
    output: { replicas: 1 },
  },
  {
    name: 'keeps a value that is present',
    spec: obj({ replicas: { type: 'integer', default: 1 } }),
    input: { replicas: 3 },
    output: { replicas: 3 },
  },
  {
    name: 'does not create a missing parent object to default into',
    spec: obj({ tls: obj({ enabled: { type: 'boolean', default: true } }) }),
    input: {},
    output: {},
  },
  {
    name: 'defaults into a parent object that exists',
    spec: obj({ tls: obj({ enabled: { type: 'boolean', default: true } }) }),
    input: { tls: {} },
    output: { tls: { enabled: true } },
  },
  {
    name: 'defaults inside a default that was just set',
    spec: obj({ tls: obj({ enabled: { type: 'boolean', default: true } }, { default: {} }) }),
    input: {},
    output: { tls: { enabled: true } },
  },
  {
    name: 'defaults every array item',
    spec: obj({
      ports: { type: 'array', items: obj({ protocol: { type: 'string', default: 'TCP' } }) },
    }),
    input: { ports: [{}, { protocol: 'UDP' }] },
    output: { ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }] },
  },
  {
    name: 'defaults every map value',
    spec: obj({
      limits: {
        type: 'object',
        additionalProperties: obj({ unit: { type: 'string', default: 'B' } }),
      },
    }),
    input: { limits: { mem: {}, disk: { unit: 'MB' } } },
    output: { limits: { mem: { unit: 'B' }, disk: { unit: 'MB' } } },
  },
  {
    name: 'replaces null in a non-nullable field by its default',
    spec: obj({ replicas: { type: 'integer', default: 1 } }),
    input: { replicas: null },
    output: { replicas: 1 },
  },
  {
    name: 'removes null from a non-nullable field without default',
    spec: obj({ replicas: { type: 'integer' } }),
    input: { replicas: null },
    output: {},
  },
  {
    name: 'keeps null in a nullable field, default or not',
    spec: obj({
      a: { type: 'integer', nullable: true, default: 1 },
      b: { type: 'integer', nullable: true },
    }),
    input: { a: null, b: null },
    output: { a: null, b: null },
  },
  {
    name: 'replaces a null map value by the values default',
    spec: obj({ m: { type: 'object', additionalProperties: { type: 'string', default: 'x' } } }),
    input: { m: { k: null } },
    output: { m: { k: 'x' } },
  },
  {
    name: 'removes a null map value without default',
    spec: obj({ m: { type: 'object', additionalProperties: { type: 'string' } } }),
    input: { m: { k: null, j: 'y' } },
    output: { m: { j: 'y' } },
  },
  {
    name: 'replaces a null array item by the items default but leaves one without default',
    spec: obj({
      a: { type: 'array', items: { type: 'string', default: 'x' } },
      b: { type: 'array', items: { type: 'string' } },
    }),
    input: { a: [null, 'y'], b: [null] },
    output: { a: ['x', 'y'], b: [null] },
  },
  {
    name: 'treats default: null as no default, as kube does',
    spec: obj({ a: { type: 'string', default: null } }),
    input: {},
    output: {},
  },
  {
    name: 'leaves unknown nulls under preserve-unknown-fields alone',
    spec: obj({}, { 'x-kubernetes-preserve-unknown-fields': true }),
    input: { free: null },
    output: { free: null },
  },
];

describe('applyDefaults', () => {
  for (const row of rows) {
    it(row.name, () => {
      const o = widget(structuredClone(row.input));
      applyDefaults(o, rootWith(row.spec));
      expect(o['spec']).to.deep.equal(row.output);
    });
  }

  it('copies defaults so objects never share them', () => {
    const schema = rootWith(
      obj({ tags: { type: 'array', items: { type: 'string' }, default: ['a'] } }),
    );
    const a = widget({});
    const b = widget({});
    applyDefaults(a, schema);
    applyDefaults(b, schema);
    (a['spec'] as { tags: string[] }).tags.push('mutated');
    expect(b['spec']).to.deep.equal({ tags: ['a'] });
    expect(schema.properties?.['spec']?.properties?.['tags']?.default).to.deep.equal(['a']);
  });
});

describe('prune → default → validate', () => {
  const schema = rootWith(
    obj(
      {
        size: { type: 'integer', minimum: 1, default: 1 },
        mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
        nested: obj({ level: { type: 'integer', default: 3 } }, { default: {} }),
      },
      { required: ['size', 'mode'] },
    ),
  );

  it('satisfies required fields with defaults', () => {
    const o = widget({ junk: 1 });
    const { pruned } = prune(o, schema);
    applyDefaults(o, schema);
    expect(pruned).to.deep.equal(['spec.junk']);
    expect(o['spec']).to.deep.equal({ size: 1, mode: 'safe', nested: { level: 3 } });
    expect(validate(o, schema)).to.deep.equal([]);
  });

  it('defaults a required field sent as null, instead of failing it', () => {
    const o = widget({ size: null, mode: 'fast' });
    prune(o, schema);
    applyDefaults(o, schema);
    expect(validate(o, schema)).to.deep.equal([]);
    expect(o['spec']).to.deep.include({ size: 1 });
  });

  it('fails a required field sent as null when it has no default', () => {
    const strict = rootWith(obj({ role: { type: 'string' } }, { required: ['role'] }));
    const o = widget({ role: null });
    prune(o, strict);
    applyDefaults(o, strict);
    expect(render(validate(o, strict))).to.deep.equal(['spec.role: Required value']);
  });

  it('validates user values that defaults did not touch', () => {
    const o = widget({ size: 0, mode: 'other' });
    prune(o, schema);
    applyDefaults(o, schema);
    expect(render(validate(o, schema))).to.deep.equal([
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
      'spec.mode: Unsupported value: "other": supported values: "fast", "safe"',
    ]);
  });
});
