import { expect } from 'chai';
import fc from 'fast-check';
import {
  FieldSet,
  fieldSetOf,
  formatPath,
  fromFieldsV1,
  toFieldsV1,
} from '../../../../../api/patch/index.ts';
import { SCHEMA, widget } from './builders.ts';

describe('fieldSetOf and fieldsV1', () => {
  const shapes: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'granular maps, with . on a parent that is itself set',
      { size: 3, color: 'red' },
      { 'f:spec': { '.': {}, 'f:color': {}, 'f:size': {} } },
    ],
    [
      'a set list item by value',
      { tags: ['a', 'b'] },
      { 'f:spec': { '.': {}, 'f:tags': { '.': {}, 'v:"a"': {}, 'v:"b"': {} } } },
    ],
    [
      'a map list item by key, its fields granular',
      { ports: [{ name: 'http', port: 80 }] },
      {
        'f:spec': {
          '.': {},
          'f:ports': { '.': {}, 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
        },
      },
    ],
    ['an atomic list as one leaf', { args: ['-v', '-x'] }, { 'f:spec': { '.': {}, 'f:args': {} } }],
    [
      'an atomic map as one leaf',
      { selector: { a: 'b' } },
      { 'f:spec': { '.': {}, 'f:selector': {} } },
    ],
    [
      'unknown fields as granular maps with atomic lists',
      { config: { a: { b: 1 }, l: [1, 2] } },
      { 'f:spec': { '.': {}, 'f:config': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:l': {} } } },
    ],
  ];
  for (const [name, spec, want] of shapes) {
    it(`records ${name}`, () => {
      expect(toFieldsV1(fieldSetOf(widget(spec), SCHEMA))).to.deep.equal(want);
    });
  }

  it("matches kube's example: labels and spec, never identity or server fields", () => {
    const obj = widget(
      { size: 3 },
      {
        labels: { app: 'demo' },
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        creationTimestamp: 'T',
        managedFields: [],
      },
    );
    expect(toFieldsV1(fieldSetOf(obj, SCHEMA))).to.deep.equal({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { '.': {}, 'f:size': {} },
    });
  });

  it('records annotations, finalizers as a set and ownerReferences by uid', () => {
    const obj = widget(undefined, {
      annotations: { a: 'x' },
      finalizers: ['f1'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'o', uid: 'u1' }],
    });
    const fields = toFieldsV1(fieldSetOf(obj, SCHEMA)) as { 'f:metadata': Record<string, unknown> };
    expect(fields['f:metadata']['f:annotations']).to.deep.equal({ '.': {}, 'f:a': {} });
    expect(fields['f:metadata']['f:finalizers']).to.deep.equal({ '.': {}, 'v:"f1"': {} });
    expect(fields['f:metadata']['f:ownerReferences']).to.have.property('k:{"uid":"u1"}');
  });

  const bad: [string, unknown][] = [
    ['a non-object', []],
    ['an unknown element prefix', { 'x:spec': {} }],
    ['a malformed key element', { 'f:spec': { 'k:{oops': {} } }],
    ['a non-object child', { 'f:spec': 1 }],
  ];
  for (const [name, v] of bad) {
    it(`rejects fieldsV1 with ${name}`, () => {
      expect(() => fromFieldsV1(v)).to.throw(Error);
    });
  }

  it('formats paths as kube conflict messages do', () => {
    expect(formatPath(['f:spec', 'f:size'])).to.equal('.spec.size');
    expect(formatPath(['f:spec', 'f:ports', 'k:{"name":"http","port":80}', 'f:protocol'])).to.equal(
      '.spec.ports[name="http",port=80].protocol',
    );
    expect(formatPath(['f:metadata', 'f:finalizers', 'v:"a"'])).to.equal(
      '.metadata.finalizers[="a"]',
    );
  });

  it('property: fieldsV1 round-trips any field set', () => {
    const element = fc.oneof(
      fc.string().map(s => `f:${s}`),
      fc.jsonValue().map(v => `v:${JSON.stringify(v)}`),
      fc.dictionary(fc.string(), fc.string(), { minKeys: 1 }).map(o => `k:${JSON.stringify(o)}`),
    );
    fc.assert(
      fc.property(fc.array(fc.array(element, { minLength: 1, maxLength: 4 })), paths => {
        const set = FieldSet.of(paths);
        expect(fromFieldsV1(toFieldsV1(set)).equals(set)).to.equal(true);
      }),
    );
  });
});
