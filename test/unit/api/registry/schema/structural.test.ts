import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { checkStructural } from '../../../../../api/registry/schema/index.ts';
import { render } from './helpers.ts';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const S = `${P}.properties[spec]`;

// root wraps a spec schema; `as` admits the keywords JSONSchemaProps does not declare.
const root = (
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): JSONSchemaProps => ({ type: 'object', properties: { spec }, ...extra });

const check = (schema: JSONSchemaProps): string[] => render(checkStructural(schema, P));

const good: [string, JSONSchemaProps][] = [
  [
    'a typical schema with maps, lists, enums and defaults',
    root({
      type: 'object',
      required: ['roles'],
      properties: {
        roles: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        limits: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' } } },
        },
      },
    }),
  ],
  [
    'an untyped node under x-kubernetes-preserve-unknown-fields',
    root({ 'x-kubernetes-preserve-unknown-fields': true }),
  ],
  [
    'an untyped x-kubernetes-int-or-string node',
    root({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true } } }),
  ],
  [
    'the int-or-string anyOf idiom',
    root({
      type: 'object',
      properties: {
        p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    }),
  ],
  [
    'the int-or-string idiom as the first allOf entry',
    root({
      type: 'object',
      properties: {
        p: {
          'x-kubernetes-int-or-string': true,
          allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^x' }],
        },
      },
    }),
  ],
  [
    'junctors that only add value validation to specified fields',
    root({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      oneOf: [{ required: ['a'] }, { required: ['b'], properties: { b: { minLength: 1 } } }],
    }),
  ],
  [
    'metadata restricting name and generateName',
    root(
      { type: 'object' },
      {
        properties: {
          spec: { type: 'object' },
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
        },
      },
    ),
  ],
  [
    'an embedded resource with properties',
    root({
      type: 'object',
      properties: {
        t: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object' } },
        },
      },
    }),
  ],
  [
    'a nested property named metadata outside resources',
    root({ type: 'object', properties: { metadata: { type: 'string' } } }),
  ],
];

const bad: [string, JSONSchemaProps, string[]][] = [
  [
    'a root without type',
    { properties: {} },
    [`${P}.type: Required value: must not be empty at the root`],
  ],
  [
    'a root that is not an object',
    { type: 'array', items: { type: 'string' } },
    [`${P}.type: Invalid value: "array": must be object at the root`],
  ],
  [
    'a field without type',
    root({ properties: {} }),
    [`${S}.type: Required value: must not be empty for specified object fields`],
  ],
  [
    'array items without type',
    root({ type: 'array', items: {} }),
    [`${S}.items.type: Required value: must not be empty for specified array items`],
  ],
  [
    'an array without items',
    root({ type: 'array' }),
    [`${S}.items: Required value: must be specified`],
  ],
  [
    'properties together with additionalProperties',
    root({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: { type: 'string' },
    }),
    [
      `${S}.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ],
  ],
  [
    'additionalProperties at the root',
    { type: 'object', additionalProperties: { type: 'string' } },
    [`${P}.additionalProperties: Forbidden: must not be used at the root`],
  ],
  [
    'additionalProperties: false',
    root({ type: 'object', additionalProperties: false }),
    [`${S}.additionalProperties: Forbidden: additionalProperties cannot be set to false`],
  ],
  ['$ref', root({ type: 'object', $ref: '#/x' }), [`${S}.$ref: Forbidden: $ref is not supported`]],
  [
    'definitions',
    root({ type: 'object', definitions: { a: {} } }),
    [`${S}.definitions: Forbidden: definitions is not supported`],
  ],
  [
    'dependencies',
    root({ type: 'object', dependencies: { a: ['b'] } }),
    [`${S}.dependencies: Forbidden: dependencies is not supported`],
  ],
  [
    'patternProperties',
    root({ type: 'object', patternProperties: { '^a': { type: 'string' } } }),
    [`${S}.patternProperties: Forbidden: patternProperties is not supported`],
  ],
  [
    'additionalItems',
    root({ type: 'array', items: { type: 'string' }, additionalItems: false }),
    [`${S}.additionalItems: Forbidden: additionalItems is not supported`],
  ],
  ['id', root({ type: 'object', id: 'x' }), [`${S}.id: Forbidden: id is not supported`]],
  [
    'uniqueItems: true',
    root({ type: 'array', items: { type: 'string' }, uniqueItems: true }),
    [
      `${S}.uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ],
  ],
  [
    'type null',
    root({ type: 'null' }),
    [`${S}.type: Forbidden: type cannot be set to null, use nullable as an alternative`],
  ],
  [
    'an unknown type',
    root({ type: 'map' }),
    [
      `${S}.type: Unsupported value: "map": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ],
  ],
  [
    'items given as an array',
    root({ type: 'array', items: [{ type: 'string' }] }),
    [`${S}.items: Forbidden: items must be a schema object and not an array`],
  ],
  [
    'a pattern that does not compile',
    root({ type: 'string', pattern: '(' }),
    [
      `${S}.pattern: Invalid value: "(": must be a valid regular expression, but isn't: Invalid regular expression: /(/u: Unterminated group`,
    ],
  ],
  [
    'type inside a junctor',
    root({ type: 'object', anyOf: [{ type: 'object' }] }),
    [`${S}.anyOf[0].type: Forbidden: must be empty to be structural`],
  ],
  [
    'generic and extension keywords inside junctors',
    root({
      type: 'string',
      allOf: [
        {
          description: 'd',
          title: 't',
          nullable: true,
          default: 'x',
          'x-kubernetes-preserve-unknown-fields': true,
        },
      ],
      not: { 'x-kubernetes-list-type': 'set', additionalProperties: { type: 'string' } },
    }),
    [
      `${S}.allOf[0].title: Forbidden: must be empty to be structural`,
      `${S}.allOf[0].description: Forbidden: must be empty to be structural`,
      `${S}.allOf[0].default: Forbidden: must be undefined to be structural`,
      `${S}.allOf[0].nullable: Forbidden: must be false to be structural`,
      `${S}.allOf[0].x-kubernetes-preserve-unknown-fields: Forbidden: must be false to be structural`,
      `${S}.not.additionalProperties: Forbidden: must be undefined to be structural`,
      `${S}.not.x-kubernetes-list-type: Forbidden: must be undefined to be structural`,
    ],
  ],
  [
    'a junctor property missing from the structure',
    root({
      type: 'object',
      properties: { a: { type: 'string' } },
      oneOf: [{ properties: { b: { minLength: 1 } } }],
    }),
    [`${S}.properties[b]: Required value: because it is defined in ${S}.oneOf[0].properties[b]`],
  ],
  [
    'metadata inside a junctor',
    root({ type: 'object' }, { anyOf: [{ properties: { metadata: { required: ['name'] } } }] }),
    [
      `${P}.anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`,
      `${P}.properties[metadata]: Required value: because it is defined in ${P}.anyOf[0].properties[metadata]`,
    ],
  ],
  [
    'root metadata restricting more than name and generateName',
    {
      type: 'object',
      properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
    },
    [
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ],
  ],
  [
    'a default in top-level metadata',
    {
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } },
      },
    },
    [
      `${P}.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata`,
    ],
  ],
  [
    'a non-string kind at the root',
    { type: 'object', properties: { kind: { type: 'integer' } } },
    [`${P}.properties[kind].type: Invalid value: "integer": must be string`],
  ],
  [
    'an embedded resource that is not an object or has no properties',
    root({
      type: 'object',
      properties: {
        t: {
          type: 'string',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        u: { type: 'object', 'x-kubernetes-embedded-resource': true },
      },
    }),
    [
      `${S}.properties[t].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`,
      `${S}.properties[u].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ],
  ],
  [
    'x-kubernetes-preserve-unknown-fields: false',
    root({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }),
    [`${S}.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`],
  ],
  [
    'int-or-string combined with preserve-unknown-fields',
    root({ 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true }),
    [
      `${S}.x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
    ],
  ],
  [
    'CEL validation rules',
    root({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] }),
    [
      `${S}.x-kubernetes-validations: Forbidden: CEL validation rules (x-kubernetes-validations) are not supported yet by this server; remove them and enforce the rule in a controller`,
    ],
  ],
  [
    'a list-type on a non-array and an unknown list-type',
    root({
      type: 'object',
      properties: {
        a: { type: 'string', 'x-kubernetes-list-type': 'set' },
        b: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' },
      },
    }),
    [
      `${S}.properties[a].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`,
      `${S}.properties[b].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
    ],
  ],
  [
    'a list-map without keys',
    root({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      items: { type: 'object', properties: { a: { type: 'string' } } },
    }),
    [
      `${S}.x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ],
  ],
  [
    'list-map keys that are not required scalar item properties',
    root({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['a', 'b', 'c'],
      items: {
        type: 'object',
        properties: { a: { type: 'object' }, b: { type: 'string', nullable: true, default: 'x' } },
      },
    }),
    [
      `${S}.items.properties[a].type: Invalid value: "object": must be a scalar type if parent array's x-kubernetes-list-type is map`,
      `${S}.items.properties[a].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${S}.items.properties[b].nullable: Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable`,
      `${S}.x-kubernetes-list-map-keys: Invalid value: ["a","b","c"]: entries must all be names of item properties`,
    ],
  ],
  [
    'list-map keys without list-type map',
    root({ type: 'array', items: { type: 'string' }, 'x-kubernetes-list-map-keys': ['a'] }),
    [
      `${S}.x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty`,
    ],
  ],
  [
    'nullable items of a set',
    root({
      type: 'array',
      'x-kubernetes-list-type': 'set',
      items: { type: 'string', nullable: true },
    }),
    [`${S}.items.nullable: Forbidden: cannot be nullable when x-kubernetes-list-type is set`],
  ],
  [
    'set items that are granular objects',
    root({
      type: 'array',
      'x-kubernetes-list-type': 'set',
      items: { type: 'object', properties: { a: { type: 'string' } } },
    }),
    [
      `${S}.items.x-kubernetes-map-type: Invalid value: "": must be atomic as item of a list with x-kubernetes-list-type=set`,
    ],
  ],
  [
    'a map-type on a non-object and an unknown map-type',
    root({ type: 'string', 'x-kubernetes-map-type': 'sparse' }),
    [
      `${S}.type: Invalid value: "string": must be object if x-kubernetes-map-type is specified`,
      `${S}.x-kubernetes-map-type: Unsupported value: "sparse": supported values: "atomic", "granular"`,
    ],
  ],
  [
    'a default of the wrong type',
    root({ type: 'object', properties: { size: { type: 'integer', default: 'big' } } }),
    [
      `${S}.properties[size].default: Invalid value: "string": ${S}.properties[size].default in body must be of type integer: "string"`,
    ],
  ],
  [
    'a default violating its own bounds',
    root({ type: 'object', properties: { size: { type: 'integer', minimum: 1, default: 0 } } }),
    [
      `${S}.properties[size].default: Invalid value: 0: ${S}.properties[size].default in body should be greater than or equal to 1`,
    ],
  ],
  [
    'a default with fields the schema would prune',
    root({ type: 'object', default: { a: 'x', b: 'y' }, properties: { a: { type: 'string' } } }),
    [`${S}.default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields`],
  ],
];

describe('checkStructural', () => {
  for (const [name, schema] of good) {
    it(`accepts ${name}`, () => {
      expect(check(schema)).to.deep.equal([]);
    });
  }
  for (const [name, schema, want] of bad) {
    it(`rejects ${name}`, () => {
      expect(check(schema)).to.deep.equal(want);
    });
  }

  it('explains that CEL rules are not supported yet', () => {
    const [cause] = checkStructural(
      root({ type: 'object', 'x-kubernetes-validations': [{ rule: 'true' }] }),
      P,
    );
    expect(cause?.reason).to.equal('FieldValueForbidden');
    expect(cause?.message).to.match(/not supported yet/);
  });

  it('uses a bare path when the prefix is empty', () => {
    expect(render(checkStructural({ type: 'object', properties: { a: {} } }, ''))).to.deep.equal([
      'properties[a].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('checks defaults only once the schema is otherwise structural', () => {
    const schema = root({
      type: 'object',
      properties: { a: { type: 'integer', default: 'x' }, b: {} },
    });
    expect(check(schema)).to.deep.equal([
      `${S}.properties[b].type: Required value: must not be empty for specified object fields`,
    ]);
  });

  it('reports every violation of a schema, not just the first', () => {
    const schema = root({
      type: 'object',
      properties: { a: {}, b: { type: 'array' }, c: { type: 'object', $ref: '#' } },
    });
    expect(checkStructural(schema, P)).to.have.length(3);
  });
});
