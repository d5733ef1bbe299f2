import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { validate } from '../../../../../api/registry/schema/index.ts';
import { reasons, render, rootWith, widget } from './helpers.ts';

interface Row {
  readonly name: string;
  readonly spec: JSONSchemaProps;
  readonly value: unknown;
  readonly want: string[];
  readonly reason?: string;
}

// Each row validates widget({...}) against rootWith(spec) and expects exactly `want`.
const rows: Row[] = [
  {
    name: 'reports a string where an integer is required as FieldValueTypeInvalid',
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    value: { size: 'x' },
    want: [
      'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    ],
    reason: 'FieldValueTypeInvalid',
  },
  {
    name: 'reports a fractional number where an integer is required',
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    value: { size: 1.5 },
    want: [
      'spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"',
    ],
  },
  {
    name: 'accepts an integer where a number is required',
    spec: { type: 'object', properties: { ratio: { type: 'number' } } },
    value: { ratio: 2 },
    want: [],
  },
  {
    name: 'reports an object where an array is required',
    spec: { type: 'object', properties: { roles: { type: 'array', items: { type: 'string' } } } },
    value: { roles: { a: 1 } },
    want: [
      'spec.roles: Invalid value: "object": spec.roles in body must be of type array: "object"',
    ],
  },
  {
    name: 'reports a boolean where a string is required, inside array items',
    spec: { type: 'object', properties: { roles: { type: 'array', items: { type: 'string' } } } },
    value: { roles: ['a', true] },
    want: [
      'spec.roles[1]: Invalid value: "boolean": spec.roles[1] in body must be of type string: "boolean"',
    ],
  },
  {
    name: 'reports null in a non-nullable field',
    spec: { type: 'object', properties: { size: { type: 'integer' } } },
    value: { size: null },
    want: ['spec.size: Invalid value: "null": spec.size in body must be of type integer: "null"'],
  },
  {
    name: 'accepts null in a nullable field and skips its other checks',
    spec: { type: 'object', properties: { size: { type: 'integer', nullable: true, minimum: 3 } } },
    value: { size: null },
    want: [],
  },
  {
    name: 'accepts integers and strings for x-kubernetes-int-or-string',
    spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } },
    value: { port: 80 },
    want: [],
  },
  {
    name: 'rejects a boolean for x-kubernetes-int-or-string',
    spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } },
    value: { port: true },
    want: [
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ],
  },
  {
    name: 'lists the supported values of an enum',
    spec: { type: 'object', properties: { color: { type: 'string', enum: ['red', 'green'] } } },
    value: { color: 'blue' },
    want: ['spec.color: Unsupported value: "blue": supported values: "red", "green"'],
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'compares non-string enum values deeply and prints them as JSON',
    spec: { type: 'object', properties: { n: { type: 'integer', enum: [1, 2] } } },
    value: { n: 3 },
    want: ['spec.n: Unsupported value: 3: supported values: "1", "2"'],
  },
  {
    name: 'reports a value above maximum',
    spec: { type: 'object', properties: { size: { type: 'integer', maximum: 10 } } },
    value: { size: 11 },
    want: ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10'],
    reason: 'FieldValueInvalid',
  },
  {
    name: 'reports a value equal to an exclusive maximum',
    spec: {
      type: 'object',
      properties: { size: { type: 'integer', maximum: 10, exclusiveMaximum: true } },
    },
    value: { size: 10 },
    want: ['spec.size: Invalid value: 10: spec.size in body should be less than 10'],
  },
  {
    name: 'reports a value below minimum',
    spec: { type: 'object', properties: { size: { type: 'number', minimum: 0.5 } } },
    value: { size: 0.25 },
    want: [
      'spec.size: Invalid value: 0.25: spec.size in body should be greater than or equal to 0.5',
    ],
  },
  {
    name: 'reports a value equal to an exclusive minimum',
    spec: {
      type: 'object',
      properties: { size: { type: 'integer', minimum: 0, exclusiveMinimum: true } },
    },
    value: { size: 0 },
    want: ['spec.size: Invalid value: 0: spec.size in body should be greater than 0'],
  },
  {
    name: 'reports a number that is not a multiple',
    spec: { type: 'object', properties: { size: { type: 'integer', multipleOf: 5 } } },
    value: { size: 12 },
    want: ['spec.size: Invalid value: 12: spec.size in body should be a multiple of 5'],
  },
  {
    name: 'accepts decimal multiples despite binary fractions',
    spec: { type: 'object', properties: { cpus: { type: 'number', multipleOf: 0.1 } } },
    value: { cpus: 0.3 },
    want: [],
  },
  {
    name: 'reports a string longer than maxLength as FieldValueTooLong without the value',
    spec: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } },
    value: { name: 'abcd' },
    want: ['spec.name: Too long: may not be longer than 3'],
    reason: 'FieldValueTooLong',
  },
  {
    name: 'counts code points, not UTF-16 units, for string lengths',
    spec: { type: 'object', properties: { name: { type: 'string', maxLength: 2 } } },
    value: { name: '😀😀' },
    want: [],
  },
  {
    name: 'reports a string shorter than minLength',
    spec: { type: 'object', properties: { name: { type: 'string', minLength: 2 } } },
    value: { name: 'a' },
    want: ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'],
  },
  {
    name: 'reports a string not matching the pattern',
    spec: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' } } },
    value: { name: 'ABC' },
    want: ['spec.name: Invalid value: "ABC": spec.name in body should match \'^[a-z]+$\''],
  },
  {
    name: 'matches patterns unanchored, as RE2 MatchString does',
    spec: { type: 'object', properties: { name: { type: 'string', pattern: '[0-9]' } } },
    value: { name: 'abc1def' },
    want: [],
  },
  {
    name: 'reports too few items',
    spec: {
      type: 'object',
      properties: { roles: { type: 'array', minItems: 2, items: { type: 'string' } } },
    },
    value: { roles: ['a'] },
    want: ['spec.roles: Invalid value: 1: spec.roles in body should have at least 2 items'],
  },
  {
    name: 'reports too many items as FieldValueTooMany',
    spec: {
      type: 'object',
      properties: { roles: { type: 'array', maxItems: 3, items: { type: 'string' } } },
    },
    value: { roles: ['a', 'b', 'c', 'd', 'e'] },
    want: ['spec.roles: Too many: 5: must have at most 3 items'],
    reason: 'FieldValueTooMany',
  },
  {
    name: 'reports too few properties',
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
      },
    },
    value: { tags: {} },
    want: ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 properties'],
  },
  {
    name: 'reports too many properties as FieldValueTooMany',
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
      },
    },
    value: { tags: { a: 'x', b: 'y' } },
    want: ['spec.tags: Too many: 2: must have at most 1 item'],
  },
  {
    name: 'reports a missing required field as FieldValueRequired',
    spec: { type: 'object', required: ['role'], properties: { role: { type: 'string' } } },
    value: {},
    want: ['spec.role: Required value'],
    reason: 'FieldValueRequired',
  },
  {
    name: 'accepts a required field whose name is also an Object.prototype key',
    spec: {
      type: 'object',
      required: ['constructor'],
      properties: { constructor: { type: 'string' as const } },
    },
    value: { constructor: 'x' },
    want: [],
  },
  {
    name: 'validates map values with dotted keys, as kube-openapi names them',
    spec: {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    value: { limits: { cpus: -1 } },
    want: [
      'spec.limits.cpus: Invalid value: -1: spec.limits.cpus in body should be greater than or equal to 0',
    ],
  },
  {
    name: 'validates deep inside arrays of objects',
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          items: {
            type: 'object',
            required: ['port'],
            properties: { port: { type: 'integer', maximum: 65535 } },
          },
        },
      },
    },
    value: { ports: [{ port: 80 }, {}, { port: 70000 }] },
    want: [
      'spec.ports[1].port: Required value',
      'spec.ports[2].port: Invalid value: 70000: spec.ports[2].port in body should be less than or equal to 65535',
    ],
  },
  {
    name: 'ignores unknown fields by default (pruning reports them)',
    spec: { type: 'object', properties: { a: { type: 'string' } } },
    value: { a: 'x', b: 1 },
    want: [],
  },
  {
    name: 'validates specified fields under x-kubernetes-preserve-unknown-fields',
    spec: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'string' } },
    },
    value: { a: 1, anything: { goes: true } },
    want: ['spec.a: Invalid value: "integer": spec.a in body must be of type string: "integer"'],
  },
];

describe('validate', () => {
  for (const row of rows) {
    it(row.name, () => {
      const causes = validate(widget(row.value), rootWith(row.spec));
      expect(render(causes)).to.deep.equal(row.want);
      if (row.reason !== undefined) expect(reasons(causes)).to.deep.equal([row.reason]);
    });
  }

  it('reports a missing required spec at the root', () => {
    const schema: JSONSchemaProps = { ...rootWith({ type: 'object' }), required: ['spec'] };
    const obj = widget({});
    delete obj['spec'];
    expect(render(validate(obj, schema))).to.deep.equal(['spec: Required value']);
  });

  it('reports every failure, not just the first', () => {
    const spec: JSONSchemaProps = {
      type: 'object',
      required: ['a'],
      properties: { b: { type: 'integer' }, c: { type: 'string', maxLength: 1 } },
    };
    const causes = validate(widget({ b: 'x', c: 'long' }), rootWith(spec));
    expect(causes.map(c => c.field)).to.have.members(['spec.a', 'spec.b', 'spec.c']);
  });

  it('prefixes every field with opts.path', () => {
    const causes = validate(
      { size: 'x' },
      { type: 'object', properties: { size: { type: 'integer' } } },
      { path: 'x.default' },
    );
    expect(render(causes)).to.deep.equal([
      'x.default.size: Invalid value: "string": x.default.size in body must be of type integer: "string"',
    ]);
  });

  it('omits the field of a cause about the root itself', () => {
    const causes = validate('x', { type: 'object' });
    expect(causes).to.have.length(1);
    expect(causes[0]?.field).to.equal(undefined);
  });
});
