import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { validate } from '../../../../../api/registry/schema/index.ts';
import { reasons, render, rootWith, widget } from './helpers.ts';

const check = (spec: JSONSchemaProps, value: unknown): string[] =>
  render(validate(widget(value), rootWith(spec)));

describe('validate: junctors', () => {
  const oneOfAOrB: JSONSchemaProps = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'string' } },
    oneOf: [{ required: ['a'] }, { required: ['b'] }],
  };

  it('accepts a value matching exactly one oneOf alternative', () => {
    expect(check(oneOfAOrB, { a: 'x' })).to.deep.equal([]);
  });

  it('reports a value matching no oneOf alternative, with the closest failure', () => {
    expect(check(oneOfAOrB, {})).to.deep.equal([
      'spec: Invalid value: "object": "spec" must validate one and only one schema (oneOf). Found none valid',
      'spec.a: Required value',
    ]);
  });

  it('reports a value matching two oneOf alternatives', () => {
    expect(check(oneOfAOrB, { a: 'x', b: 'y' })).to.deep.equal([
      'spec: Invalid value: "object": "spec" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
  });

  it('reports a value matching no anyOf alternative', () => {
    const spec: JSONSchemaProps = { type: 'string', anyOf: [{ maxLength: 1 }, { pattern: '^x' }] };
    expect(check(spec, 'abc')).to.deep.equal([
      'spec: Invalid value: "abc": "spec" must validate at least one schema (anyOf)',
      'spec: Too long: may not be longer than 1',
    ]);
  });

  it('accepts a value matching one anyOf alternative', () => {
    const spec: JSONSchemaProps = { type: 'string', anyOf: [{ maxLength: 1 }, { pattern: '^x' }] };
    expect(check(spec, 'xyz')).to.deep.equal([]);
  });

  it('reports every failing allOf alternative', () => {
    const spec: JSONSchemaProps = {
      type: 'integer',
      allOf: [{ minimum: 5 }, { maximum: 10 }, { multipleOf: 2 }],
    };
    expect(check(spec, 3)).to.deep.equal([
      'spec: Invalid value: 3: "spec" must validate all the schemas (allOf)',
      'spec: Invalid value: 3: spec in body should be greater than or equal to 5',
      'spec: Invalid value: 3: spec in body should be a multiple of 2',
    ]);
  });

  it('reports a value matching the not schema', () => {
    const spec: JSONSchemaProps = { type: 'string', not: { enum: ['forbidden'] } };
    expect(check(spec, 'forbidden')).to.deep.equal([
      'spec: Invalid value: "forbidden": "spec" must not validate the schema (not)',
    ]);
    expect(check(spec, 'fine')).to.deep.equal([]);
  });

  it('validates the int-or-string anyOf idiom', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      properties: {
        port: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          pattern: '^[0-9]+%?$',
        },
      },
    };
    expect(check(spec, { port: '50%' })).to.deep.equal([]);
    expect(check(spec, { port: 8080 })).to.deep.equal([]);
    expect(check(spec, { port: 'half' })).to.deep.equal([
      'spec.port: Invalid value: "half": spec.port in body should match \'^[0-9]+%?$\'',
    ]);
  });
});

describe('validate: list types', () => {
  const set: JSONSchemaProps = {
    type: 'object',
    properties: {
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    },
  };
  const map: JSONSchemaProps = {
    type: 'object',
    properties: {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['port', 'protocol'],
        items: {
          type: 'object',
          required: ['port'],
          properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } },
        },
      },
    },
  };

  it('reports a repeated item of a set once, at its first repetition', () => {
    const causes = validate(widget({ tags: ['a', 'b', 'a', 'a'] }), rootWith(set));
    expect(render(causes)).to.deep.equal(['spec.tags[2]: Duplicate value: "a"']);
    expect(reasons(causes)).to.deep.equal(['FieldValueDuplicate']);
  });

  it('compares set items of objects by value, whatever the key order', () => {
    const objects: JSONSchemaProps = {
      type: 'object',
      properties: {
        sel: {
          type: 'array',
          'x-kubernetes-list-type': 'set',
          items: {
            type: 'object',
            'x-kubernetes-map-type': 'atomic',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    };
    expect(
      check(objects, {
        sel: [
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ],
      }),
    ).to.deep.equal(['spec.sel[1]: Duplicate value: {"b":2,"a":1}']);
  });

  it('accepts a list-map whose key tuples are unique', () => {
    expect(
      check(map, {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 80, protocol: 'UDP' },
        ],
      }),
    ).to.deep.equal([]);
  });

  it('reports a repeated key tuple of a list-map with the key', () => {
    expect(
      check(map, {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 80, protocol: 'TCP', name: 'x' },
        ],
      }),
    ).to.deep.equal(['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']);
  });

  it('reports a list-map item that is not an object', () => {
    const loose: JSONSchemaProps = {
      type: 'object',
      properties: {
        ports: {
          'x-kubernetes-preserve-unknown-fields': true,
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    };
    expect(check(loose, { ports: [{ port: 1 }, 'x'] })).to.deep.equal([
      'spec.ports[1]: Invalid value: "x": must be an object for an array of list-type map',
    ]);
  });

  it('accepts repeated items of an atomic list', () => {
    const atomic: JSONSchemaProps = {
      type: 'object',
      properties: {
        xs: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } },
      },
    };
    expect(check(atomic, { xs: ['a', 'a'] })).to.deep.equal([]);
  });
});

describe('validate: embedded resources', () => {
  const spec: JSONSchemaProps = {
    type: 'object',
    properties: {
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
      },
    },
  };

  it('accepts an embedded resource with apiVersion, kind and valid metadata', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { app: 'x' } },
      spec: { image: 'i' },
    };
    expect(check(spec, { template })).to.deep.equal([]);
  });

  it('requires apiVersion and kind of an embedded resource', () => {
    expect(check(spec, { template: { spec: {} } })).to.deep.equal([
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
  });

  it('rejects an empty kind and a malformed apiVersion', () => {
    expect(check(spec, { template: { apiVersion: 'a/b/c', kind: '' } })).to.deep.equal([
      'spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      'spec.template.kind: Invalid value: "": must not be empty',
    ]);
  });

  it('validates embedded metadata as ObjectMeta under its own path', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'Bad_Name', labels: { 'a b': 'x' } },
    };
    const fields = validate(widget({ template }), rootWith(spec)).map(c => c.field);
    expect(fields).to.deep.equal(['spec.template.metadata.name', 'spec.template.metadata.labels']);
  });
});

describe('validate: unknownFields reject', () => {
  const schema = rootWith({
    type: 'object',
    properties: {
      known: { type: 'string' },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      map: { type: 'object', additionalProperties: { type: 'string' } },
    },
  });

  it('reports fields outside the schema as FieldValueForbidden', () => {
    const obj = widget({ known: 'a', extra: 1, free: { x: 1 }, map: { k: 'v' } }, { status: {} });
    (obj['metadata'] as Record<string, unknown>)['bogus'] = true;
    const causes = validate(obj, schema, { unknownFields: 'reject' });
    expect(render(causes)).to.deep.equal([
      'metadata.bogus: Forbidden: unknown field',
      'spec.extra: Forbidden: unknown field',
      'status: Forbidden: unknown field',
    ]);
  });

  it('keeps quiet about unknown fields by default', () => {
    expect(validate(widget({ extra: 1 }), schema)).to.deep.equal([]);
  });
});
