import { expect } from 'chai';
import { compileJsonPath, JsonPathSyntaxError } from '../../../../api/table/index.ts';

const doc = {
  metadata: {
    name: 'a1',
    labels: { 'app.kubernetes.io/name': 'agent', tier: 'gold' },
    annotations: { 'x.y': 'dotted' },
  },
  spec: {
    replicas: 3,
    ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }, { name: 'metrics' }],
    empty: null,
  },
  status: {
    conditions: [
      { type: 'Scheduled', status: 'True' },
      { type: 'Ready', status: 'False', observedGeneration: 2 },
    ],
  },
};

describe('compileJsonPath', () => {
  const cases: [string, string, unknown[]][] = [
    ['a nested field', '.spec.replicas', [3]],
    ['a missing field', '.spec.nope.deeper', []],
    ['a field of a scalar', '.spec.replicas.x', []],
    ['a null field', '.spec.empty', [null]],
    ['an index', '.spec.ports[1].port', [443]],
    ['a negative index', '.spec.ports[-1].name', ['metrics']],
    ['an index out of range', '.spec.ports[7].name', []],
    ['a wildcard index, skipping items without the field', '.spec.ports[*].port', [80, 443]],
    ['a slice', '.spec.ports[0:2].name', ['http', 'https']],
    ['a slice with a step', '.spec.ports[::2].name', ['http', 'metrics']],
    ['a wildcard field over an object', '.metadata.labels.*', ['agent', 'gold']],
    ['a quoted key with dots', ".metadata.annotations['x.y']", ['dotted']],
    ['a double-quoted key', '.metadata.labels["app.kubernetes.io/name"]', ['agent']],
    ['escaped dots', '.metadata.labels.app\\.kubernetes\\.io/name', ['agent']],
    ['an equality filter', '.status.conditions[?(@.type=="Ready")].status', ['False']],
    [
      'a single-quoted filter literal',
      ".status.conditions[?(@.type=='Scheduled')].status",
      ['True'],
    ],
    ['an inequality filter', '.status.conditions[?(@.type!="Ready")].type', ['Scheduled']],
    ['a numeric filter', '.spec.ports[?(@.port>100)].name', ['https']],
    ['an existence filter', '.status.conditions[?(@.observedGeneration)].type', ['Ready']],
    ['a filter of mismatched types', '.spec.ports[?(@.port=="80")].name', []],
    ['braces and a leading $', '{$.metadata.name}', ['a1']],
    ['an index applied to an object', '.metadata[0]', []],
  ];
  for (const [scenario, path, expected] of cases) {
    it(`selects ${scenario}: ${path}`, () => {
      expect(compileJsonPath(path).find(doc)).to.deep.equal(expected);
    });
  }

  const unsupported: [string, string][] = [
    ['recursive descent', '..name'],
    ['a union', '.spec.ports[0,1]'],
    ['an unterminated bracket', '.spec.ports[0'],
    ['a bare word', 'spec.replicas'],
    ['an unknown operator', '.a[?(@.b=~"x")]'],
  ];
  for (const [scenario, path] of unsupported) {
    it(`rejects ${scenario}: ${path}`, () => {
      expect(() => compileJsonPath(path)).to.throw(JsonPathSyntaxError);
    });
  }
});
