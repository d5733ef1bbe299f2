import { expect } from 'chai';
import {
  formatTime,
  goJson,
  goNumber,
  jsonPathText,
  parseTime,
} from '../../../../api/table/index.ts';
import type { ParsedTime } from '../../../../api/table/index.ts';

describe('jsonPathText', () => {
  const cases: [string, unknown, string][] = [
    ['a string as is', 'red', 'red'],
    ['an integer in full', 1000000, '1000000'],
    ['a small float', 0.5, '0.5'],
    ['a float below 1e-4 in exponent form, as Go prints float64', 0.00001, '1e-05'],
    ['a float of 1e6 and above in exponent form', 1234567.5, '1.2345675e+06'],
    ['a float just below 1e6 in full', 123456.5, '123456.5'],
    ['a boolean', true, 'true'],
    ['an object as JSON with sorted keys', { b: 1, a: [1, 'x'] }, '{"a":[1,"x"],"b":1}'],
    ['an array of objects', [{ z: null, y: 2 }], '[{"y":2,"z":null}]'],
    [
      'HTML-sensitive characters escaped like Go',
      { s: '<a&b>' },
      '{"s":"\\u003ca\\u0026b\\u003e"}',
    ],
  ];
  for (const [scenario, value, expected] of cases) {
    it(`renders ${scenario}`, () => {
      expect(jsonPathText(value)).to.equal(expected);
    });
  }

  it('renders non-finite numbers as Go does', () => {
    expect([goNumber(Infinity), goNumber(-Infinity), goNumber(NaN)]).to.deep.equal([
      '+Inf',
      '-Inf',
      'NaN',
    ]);
    expect(goJson(undefined)).to.equal('null');
  });
});

describe('parseTime', () => {
  const base = Date.UTC(2026, 0, 2, 3, 4, 5);
  const cases: [string, string, ParsedTime][] = [
    ['a UTC timestamp', '2026-01-02T03:04:05Z', { kind: 'time', ms: base }],
    ['fractional seconds', '2026-01-02T03:04:05.678901Z', { kind: 'time', ms: base + 678 }],
    ['a positive offset', '2026-01-02T05:34:05+02:30', { kind: 'time', ms: base }],
    ['a negative offset', '2026-01-01T22:04:05-05:00', { kind: 'time', ms: base }],
    ['a leap day', '2024-02-29T00:00:00Z', { kind: 'time', ms: Date.UTC(2024, 1, 29) }],
    ['the empty string', '', { kind: 'zero' }],
    ['null', 'null', { kind: 'zero' }],
    ["Go's zero time", '0001-01-01T00:00:00Z', { kind: 'zero' }],
    ['a date without time', '2026-01-02', { kind: 'invalid' }],
    ['no zone', '2026-01-02T03:04:05', { kind: 'invalid' }],
    ['a month 13', '2026-13-02T03:04:05Z', { kind: 'invalid' }],
    ['February 29 of a common year', '2026-02-29T00:00:00Z', { kind: 'invalid' }],
    ['hour 24', '2026-01-02T24:00:00Z', { kind: 'invalid' }],
    ['words', 'yesterday', { kind: 'invalid' }],
  ];
  for (const [scenario, input, expected] of cases) {
    it(`reads ${scenario}`, () => {
      expect(parseTime(input)).to.deep.equal(expected);
    });
  }

  it('writes timestamps the way kube does, whole seconds in UTC, zero time included', () => {
    expect(formatTime(base + 678)).to.equal('2026-01-02T03:04:05Z');
    expect(formatTime(new Date('0001-01-01T00:00:00Z').getTime())).to.equal('0001-01-01T00:00:00Z');
  });
});
