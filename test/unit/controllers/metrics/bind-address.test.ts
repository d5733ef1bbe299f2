import { expect } from 'chai';
import type { BindAddress } from '../../../../controllers/metrics/bind-address.ts';
import { parseBindAddress } from '../../../../controllers/metrics/bind-address.ts';

describe('parseBindAddress (--metrics-bind-address)', () => {
  const ok: [string, BindAddress][] = [
    ['127.0.0.1:10270', { kind: 'listen', host: '127.0.0.1', port: 10270 }],
    ['0.0.0.0:8080', { kind: 'listen', host: '0.0.0.0', port: 8080 }],
    [':9090', { kind: 'listen', host: '0.0.0.0', port: 9090 }],
    ['[::1]:9090', { kind: 'listen', host: '::1', port: 9090 }],
    ['localhost:0', { kind: 'listen', host: 'localhost', port: 0 }],
    ['0', { kind: 'disabled' }],
    ['', { kind: 'disabled' }],
  ];
  for (const [text, want] of ok) {
    it(`reads "${text}"`, () => expect(parseBindAddress(text)).to.deep.equal(want));
  }
  for (const bad of ['10270', '127.0.0.1', 'host:99999', '::1:80', 'a b:80', 'host:port']) {
    it(`refuses "${bad}", naming the flag`, () =>
      expect(() => parseBindAddress(bad)).to.throw(RangeError, '--metrics-bind-address'));
  }
});
