import { expect } from 'chai';
import { matchesFields, parseFieldSelector } from '../../../../api/selectors/index.ts';
import type { FieldRequirement } from '../../../../api/selectors/index.ts';
import { ApiError } from '../../../../core/errors/index.ts';

const SELECTABLE = ['.spec.agent', 'spec.replicas', 'status.ready'];

describe('parseFieldSelector', () => {
  const parses: [string, string, FieldRequirement[]][] = [
    ['an empty selector as everything', '', []],
    [
      'equality on the name',
      'metadata.name=w1',
      [{ field: 'metadata.name', operator: 'Equals', value: 'w1' }],
    ],
    [
      'double equality',
      'metadata.namespace==default',
      [{ field: 'metadata.namespace', operator: 'Equals', value: 'default' }],
    ],
    [
      'inequality',
      'metadata.name!=w1',
      [{ field: 'metadata.name', operator: 'NotEquals', value: 'w1' }],
    ],
    [
      'a selectable field given as a jsonPath',
      'spec.agent=a1',
      [{ field: 'spec.agent', operator: 'Equals', value: 'a1' }],
    ],
    ['an empty value', 'spec.agent=', [{ field: 'spec.agent', operator: 'Equals', value: '' }]],
    [
      'escaped commas and equals',
      'spec.agent=a\\,b\\=c\\\\',
      [{ field: 'spec.agent', operator: 'Equals', value: 'a,b=c\\' }],
    ],
    [
      'an AND of terms',
      'metadata.name=w1,spec.agent!=a2',
      [
        { field: 'metadata.name', operator: 'Equals', value: 'w1' },
        { field: 'spec.agent', operator: 'NotEquals', value: 'a2' },
      ],
    ],
  ];
  for (const [name, s, want] of parses) {
    it(`parses ${name}`, () => {
      expect(parseFieldSelector(s, SELECTABLE).requirements).to.deep.equal(want);
    });
  }

  const rejects: [string, string, string][] = [
    ['an unsupported field', 'spec.foo=x', 'field label not supported: spec.foo'],
    [
      'a term without operator',
      'metadata.name',
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    ],
    [
      'an unknown escape',
      'metadata.name=a\\b',
      'invalid field selector: invalid escape sequence: \\b',
    ],
    [
      'an unescaped equals in a value',
      'metadata.name==a=b',
      'invalid field selector: unescaped character in value: =',
    ],
    [
      'padding around the field (kube does not trim)',
      ' metadata.name=w1',
      'field label not supported:  metadata.name',
    ],
  ];
  for (const [name, s, message] of rejects) {
    it(`answers 400 for ${name}`, () => {
      try {
        parseFieldSelector(s, SELECTABLE);
        expect.fail(`parsed ${s}`);
      } catch (e) {
        expect(e).to.be.instanceOf(ApiError);
        expect((e as ApiError).code).to.equal(400);
        expect((e as ApiError).message).to.equal(message);
      }
    });
  }
});

describe('matchesFields', () => {
  const obj = {
    apiVersion: 'corral.dev/v1',
    kind: 'Task',
    metadata: { name: 't1', namespace: 'default' },
    spec: { agent: 'a1', replicas: 3 },
    status: { ready: true },
  };
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=t1', true],
    ['metadata.name=t2', false],
    ['metadata.name!=t2,metadata.namespace=default', true],
    ['spec.agent=a1', true],
    ['spec.replicas=3', true],
    ['status.ready=true', true],
    ['status.ready!=true', false],
  ];
  for (const [s, want] of cases) {
    it(`${want ? 'matches' : 'does not match'} '${s}'`, () => {
      expect(matchesFields(parseFieldSelector(s, SELECTABLE), obj)).to.equal(want);
    });
  }

  it('compares a missing field as the empty string', () => {
    const bare = { metadata: { name: 't1' } };
    expect(matchesFields(parseFieldSelector('spec.agent=', SELECTABLE), bare)).to.equal(true);
    expect(matchesFields(parseFieldSelector('spec.agent!=a1', SELECTABLE), bare)).to.equal(true);
    expect(matchesFields(parseFieldSelector('metadata.namespace=', SELECTABLE), bare)).to.equal(
      true,
    );
  });
});
