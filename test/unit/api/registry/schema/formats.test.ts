import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { validate } from '../../../../../api/registry/schema/index.ts';
import { reasons, render, rootWith, widget } from './helpers.ts';

// [format, JSON type, valid values, invalid values]
const table: [string, 'string' | 'integer' | 'number', unknown[], unknown[]][] = [
  ['int32', 'integer', [0, -2147483648, 2147483647], [2147483648, -2147483649]],
  ['int64', 'integer', [0, 2 ** 53, -(2 ** 62)], [2 ** 63, -(2 ** 64)]],
  ['float', 'number', [1.5, -3.4e38], [3.5e38, -1e39]],
  ['double', 'number', [1e300, -1e-300], []],
  ['byte', 'string', ['', 'aGVsbG8=', 'aGk='], ['aGVsbG8', 'not base64!']],
  [
    'date',
    'string',
    ['2024-02-29', '1999-12-31'],
    ['2023-02-29', '2024-13-01', '2024-1-1', 'today'],
  ],
  [
    'date-time',
    'string',
    [
      '2024-05-01T10:20:30Z',
      '2024-05-01T10:20:30.123+02:00',
      '2024-05-01t10:20:30z',
      '2024-05-01T10:20:30',
    ],
    ['2024-05-01', '2024-05-01T25:00:00Z', 'yesterday'],
  ],
  ['datetime', 'string', ['2024-05-01T10:20:30Z'], ['x']],
  [
    'duration',
    'string',
    ['1h30m', '300ms', '-1.5h', '0', '3 days', '2w'],
    ['1 fortnight', 'h', ''],
  ],
  [
    'uuid',
    'string',
    ['123e4567-e89b-12d3-a456-426614174000', '123E4567E89B12D3A456426614174000'],
    ['123e4567-e89b-12d3-a456', 'zzze4567-e89b-12d3-a456-426614174000'],
  ],
  [
    'uuid4',
    'string',
    ['123e4567-e89b-42d3-a456-426614174000'],
    ['123e4567-e89b-12d3-a456-426614174000'],
  ],
  [
    'email',
    'string',
    ['a@example.com', 'Alice <a@example.com>'],
    ['example.com', 'a b@example.com'],
  ],
  [
    'hostname',
    'string',
    ['example.com', 'a-b.c', 'localhost'],
    ['-bad.example.com', 'a..b', 'under_score.com', ''],
  ],
  ['ipv4', 'string', ['10.0.0.1', '::ffff:1.2.3.4'], ['10.0.0', '256.1.1.1', '::1']],
  [
    'ipv6',
    'string',
    ['::1', '2001:db8::1', '::ffff:1.2.3.4'],
    ['10.0.0.1', 'fe80::1%eth0', 'gggg::'],
  ],
  [
    'cidr',
    'string',
    ['10.0.0.0/8', '2001:db8::/32'],
    ['10.0.0.0', '10.0.0.0/33', '2001:db8::/129'],
  ],
  [
    'mac',
    'string',
    ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'],
    ['00:1a:2b:3c:4d', '00:1a-2b:3c:4d:5e'],
  ],
  [
    'uri',
    'string',
    ['https://example.com/x?y=1', 'urn:isbn:123', '/absolute/path'],
    ['relative/path', 'http://a b', ''],
  ],
  ['hexcolor', 'string', ['#fff', 'A0B0C0'], ['#ffff']],
  ['rgbcolor', 'string', ['rgb(1, 2, 255)'], ['rgb(1,2,256)']],
  ['bsonobjectid', 'string', ['507f1f77bcf86cd799439011'], ['507f1f77']],
];

const spec = (format: string, type: string): JSONSchemaProps =>
  ({ type: 'object', properties: { v: { type, format } } }) as JSONSchemaProps;

describe('validate: formats', () => {
  for (const [format, type, good, bad] of table) {
    for (const v of good) {
      it(`accepts ${JSON.stringify(v)} as ${format}`, () => {
        expect(render(validate(widget({ v }), rootWith(spec(format, type))))).to.deep.equal([]);
      });
    }
    for (const v of bad) {
      it(`rejects ${JSON.stringify(v)} as ${format}`, () => {
        const causes = validate(widget({ v }), rootWith(spec(format, type)));
        expect(reasons(causes)).to.deep.equal(['FieldValueTypeInvalid']);
        expect(causes[0]?.field).to.equal('spec.v');
      });
    }
  }

  it('words a format failure as kube does', () => {
    const causes = validate(widget({ v: '1.2.3' }), rootWith(spec('ipv4', 'string')));
    expect(render(causes)).to.deep.equal([
      'spec.v: Invalid value: "1.2.3": spec.v in body must be of type ipv4: "1.2.3"',
    ]);
  });

  it('ignores formats kube does not know', () => {
    expect(
      validate(widget({ v: 'anything' }), rootWith(spec('my-custom-format', 'string'))),
    ).to.deep.equal([]);
    expect(validate(widget({ v: 'x' }), rootWith(spec('constructor', 'string')))).to.deep.equal([]);
  });

  it('ignores number formats on strings and string formats on numbers', () => {
    expect(validate(widget({ v: 'abc' }), rootWith(spec('int32', 'string')))).to.deep.equal([]);
    expect(validate(widget({ v: 5 }), rootWith(spec('ipv4', 'integer')))).to.deep.equal([]);
  });
});
