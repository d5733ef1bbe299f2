import { expect } from 'chai';
import {
  isDnsLabel,
  isDnsSubdomain,
  validateObjectMeta,
} from '../../../../api/registry/object-meta.ts';
import type { ObjectMetaOptions } from '../../../../api/registry/object-meta.ts';

const NS: ObjectMetaOptions = { namespaced: true, isCreate: true };
const CLUSTER: ObjectMetaOptions = { namespaced: false, isCreate: true };

const fieldsOf = (meta: unknown, opts: ObjectMetaOptions = NS): string[] =>
  validateObjectMeta(meta, opts).map(c => `${c.field ?? ''} ${c.reason}`);

const LABEL_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('isDnsSubdomain / isDnsLabel', () => {
  const cases: [string, boolean, boolean][] = [
    // [value, subdomain?, label?]
    ['a', true, true],
    ['my-name', true, true],
    ['example.com', true, false],
    ['a'.repeat(63), true, true],
    ['a'.repeat(64), true, false],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true, false],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, false, false],
    ['', false, false],
    ['A', false, false],
    ['-a', false, false],
    ['a-', false, false],
    ['a..b', false, false],
    ['a_b', false, false],
    ['.', false, false],
  ];
  for (const [v, sub, label] of cases) {
    it(`${JSON.stringify(v.length > 20 ? `${v.slice(0, 10)}…(${v.length})` : v)} is ${sub ? '' : 'not '}a subdomain and ${label ? '' : 'not '}a label`, () => {
      expect(isDnsSubdomain(v)).to.equal(sub);
      expect(isDnsLabel(v)).to.equal(label);
    });
  }
});

describe('validateObjectMeta', () => {
  it('accepts complete, valid metadata', () => {
    const meta = {
      name: 'w1',
      namespace: 'default',
      labels: { app: 'web', 'example.com/tier': '', 'k8s.io/x_y.z': 'A-1' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', Note: 'free text' },
      finalizers: ['example.com/cleanup', 'foregroundDeletion'],
      ownerReferences: [
        { apiVersion: 'example.com/v1', kind: 'Parent', name: 'p', uid: 'u1', controller: true },
      ],
      generation: 1,
    };
    expect(validateObjectMeta(meta, NS)).to.deep.equal([]);
  });

  const rows: [string, unknown, ObjectMetaOptions, string[]][] = [
    [
      'requires a name on update',
      { namespace: 'a' },
      { namespaced: true, isCreate: false },
      ['metadata.name FieldValueRequired'],
    ],
    [
      'requires a name or generateName on create',
      { namespace: 'a' },
      NS,
      ['metadata.name FieldValueRequired'],
    ],
    [
      'lets generateName stand in for the name on create',
      { generateName: 'w-', namespace: 'a' },
      NS,
      [],
    ],
    [
      'rejects an upper-case name',
      { name: 'Web', namespace: 'a' },
      NS,
      ['metadata.name FieldValueInvalid'],
    ],
    [
      'rejects a name longer than 253',
      { name: 'a'.repeat(254), namespace: 'a' },
      NS,
      ['metadata.name FieldValueInvalid'],
    ],
    [
      'rejects a name with a slash as unsafe in a URL path',
      { name: 'a/b', namespace: 'a' },
      NS,
      ['metadata.name FieldValueInvalid'],
    ],
    [
      'rejects the name ..',
      { name: '..', namespace: 'a' },
      NS,
      ['metadata.name FieldValueInvalid'],
    ],
    [
      'rejects a generateName that is no name prefix',
      { generateName: 'A_', namespace: 'a' },
      NS,
      ['metadata.generateName FieldValueInvalid'],
    ],
    [
      'requires a namespace for a namespaced kind',
      { name: 'a' },
      NS,
      ['metadata.namespace FieldValueRequired'],
    ],
    [
      'forbids a namespace for a cluster-scoped kind',
      { name: 'a', namespace: 'x' },
      CLUSTER,
      ['metadata.namespace FieldValueForbidden'],
    ],
    [
      'rejects a namespace that is no DNS label',
      { name: 'a', namespace: 'a.b' },
      NS,
      ['metadata.namespace FieldValueInvalid'],
    ],
    [
      'rejects a namespace longer than 63',
      { name: 'a', namespace: 'n'.repeat(64) },
      NS,
      ['metadata.namespace FieldValueInvalid'],
    ],
    [
      'rejects a label key with two slashes',
      { name: 'a', namespace: 'a', labels: { 'a/b/c': 'x' } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label key with an empty prefix',
      { name: 'a', namespace: 'a', labels: { '/x': 'y' } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label key prefix that is no subdomain',
      { name: 'a', namespace: 'a', labels: { 'Ex.com/x': 'y' } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label name longer than 63',
      { name: 'a', namespace: 'a', labels: { ['k'.repeat(64)]: 'v' } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label value longer than 63',
      { name: 'a', namespace: 'a', labels: { k: 'v'.repeat(64) } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label value with a space',
      { name: 'a', namespace: 'a', labels: { k: 'a b' } },
      NS,
      ['metadata.labels FieldValueInvalid'],
    ],
    [
      'rejects a label value that is not a string',
      { name: 'a', namespace: 'a', labels: { k: 1 } },
      NS,
      ['metadata.labels.k FieldValueTypeInvalid'],
    ],
    [
      'rejects an annotation key that is no qualified name',
      { name: 'a', namespace: 'a', annotations: { 'a b': 'x' } },
      NS,
      ['metadata.annotations FieldValueInvalid'],
    ],
    [
      'rejects annotations over 256 KiB in total',
      {
        name: 'a',
        namespace: 'a',
        annotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(60 * 1024) },
      },
      NS,
      ['metadata.annotations FieldValueTooLong'],
    ],
    [
      'rejects a finalizer that is no qualified name',
      { name: 'a', namespace: 'a', finalizers: ['ok', 'not ok'] },
      NS,
      ['metadata.finalizers[1] FieldValueInvalid'],
    ],
    [
      'rejects an owner reference missing apiVersion version, kind, name and uid',
      { name: 'a', namespace: 'a', ownerReferences: [{ apiVersion: 'example.com/' }] },
      NS,
      [
        'metadata.ownerReferences[0].apiVersion FieldValueInvalid',
        'metadata.ownerReferences[0].kind FieldValueInvalid',
        'metadata.ownerReferences[0].name FieldValueInvalid',
        'metadata.ownerReferences[0].uid FieldValueInvalid',
      ],
    ],
    [
      'rejects two controller owner references',
      {
        name: 'a',
        namespace: 'a',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
          { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true },
        ],
      },
      NS,
      ['metadata.ownerReferences FieldValueInvalid'],
    ],
    [
      'rejects a negative generation',
      { name: 'a', namespace: 'a', generation: -1 },
      NS,
      ['metadata.generation FieldValueInvalid'],
    ],
    [
      'rejects fields of the wrong JSON type',
      { name: 5, namespace: 'a', labels: [], finalizers: 'x', generation: 1.5 },
      { namespaced: true, isCreate: false },
      [
        'metadata.name FieldValueTypeInvalid',
        'metadata.generation FieldValueTypeInvalid',
        'metadata.labels FieldValueTypeInvalid',
        'metadata.finalizers FieldValueTypeInvalid',
        'metadata.name FieldValueRequired',
      ],
    ],
    ['rejects metadata that is not an object', 'x', NS, ['metadata FieldValueTypeInvalid']],
    [
      'reports under a custom path',
      { namespace: 'a' },
      { ...NS, path: 'spec.template.metadata' },
      ['spec.template.metadata.name FieldValueRequired'],
    ],
  ];
  for (const [name, meta, opts, want] of rows) {
    it(name, () => {
      expect(fieldsOf(meta, opts)).to.deep.equal(want);
    });
  }

  it('words a bad label key like kube', () => {
    const [cause] = validateObjectMeta(
      { name: 'a', namespace: 'a', labels: { 'bad key': 'v' } },
      NS,
    );
    expect(cause?.message).to.equal(`Invalid value: "bad key": ${LABEL_MSG}`);
  });

  it('words a missing name like kube', () => {
    const [cause] = validateObjectMeta({ namespace: 'a' }, NS);
    expect(cause?.message).to.equal('Required value: name or generateName is required');
  });

  it('words a path-unsafe name before the DNS rule', () => {
    const causes = validateObjectMeta({ name: 'a/b', namespace: 'a' }, NS);
    expect(causes.map(c => c.message)).to.deep.equal([`Invalid value: "a/b": may not contain '/'`]);
  });

  it('words the annotation size limit like kube', () => {
    const [cause] = validateObjectMeta(
      { name: 'a', namespace: 'a', annotations: { a: 'x'.repeat(262_144) } },
      NS,
    );
    expect(cause?.message).to.equal('Too long: must have at most 262144 bytes');
  });
});
