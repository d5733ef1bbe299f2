import { expect } from 'chai';
import type { KubeObject } from '../../../../core/types/meta.ts';
import {
  CREATION_TIMESTAMP_DESCRIPTION,
  NAME_DESCRIPTION,
  toTable,
} from '../../../../api/table/index.ts';
import type { TableCell } from '../../../../api/table/index.ts';
import { agents, crds, namespaces, roles } from '../discovery/resource-fixtures.ts';

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function agent(name: string, fields: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Agent',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '7',
      creationTimestamp: ago(5 * 60_000),
      labels: { tier: 'gold' },
    },
    ...fields,
  };
}

const base = { includeObject: 'Metadata' as const, now: NOW };

describe('toTable', () => {
  it('defines Name first, then the printer columns with their type, format, priority and description', () => {
    const t = toTable(agents(), [], base);
    expect(t).to.include({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(t.columnDefinitions).to.deep.equal([
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      {
        name: 'Replicas',
        type: 'integer',
        format: '',
        description: 'Custom resource definition column (in JSONPath format): .spec.replicas',
        priority: 0,
      },
      { name: 'Phase', type: 'string', format: '', description: 'Lifecycle phase', priority: 0 },
      {
        name: 'Started',
        type: 'date',
        format: '',
        description: 'Custom resource definition column (in JSONPath format): .status.startedAt',
        priority: 0,
      },
      {
        name: 'Ready',
        type: 'string',
        format: '',
        description:
          'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status',
        priority: 1,
      },
    ]);
    expect(t.rows).to.deep.equal([]);
  });

  it('does not add Age when the CRD has printer columns', () => {
    expect(toTable(agents(), [], base).columnDefinitions?.map(c => c.name)).not.to.include('Age');
  });

  const cells: [string, Record<string, unknown>, TableCell[]][] = [
    [
      'a fully populated object',
      {
        spec: { replicas: 3 },
        status: {
          phase: 'Running',
          startedAt: ago(90 * 60_000),
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      ['a1', 3, 'Running', '90m', 'True'],
    ],
    ['an object without spec or status', {}, ['a1', null, null, null, null]],
    [
      'a float in an integer column, truncated',
      { spec: { replicas: 2.9 } },
      ['a1', 2, null, null, null],
    ],
    [
      'a string in an integer column',
      { spec: { replicas: 'three' } },
      ['a1', null, null, null, null],
    ],
    [
      'a number in a string column, as text',
      { status: { phase: 42 } },
      ['a1', null, '42', null, null],
    ],
    [
      'an object in a string column, as JSON',
      { status: { phase: { b: 1, a: 2 } } },
      ['a1', null, '{"a":2,"b":1}', null, null],
    ],
    [
      'an unparsable date',
      { status: { startedAt: 'soon' } },
      ['a1', null, null, '<invalid>', null],
    ],
    ['an empty date', { status: { startedAt: '' } }, ['a1', null, null, '<unknown>', null]],
    ['a number in a date column', { status: { startedAt: 5 } }, ['a1', null, null, null, null]],
    [
      'a date slightly in the future',
      { status: { startedAt: ago(-1000) } },
      ['a1', null, null, '0s', null],
    ],
    [
      'a date far in the future',
      { status: { startedAt: ago(-60_000) } },
      ['a1', null, null, '<invalid>', null],
    ],
  ];
  for (const [scenario, fields, expected] of cells) {
    it(`types the cells of ${scenario}`, () => {
      expect(toTable(agents(), [agent('a1', fields)], base).rows[0]?.cells).to.deep.equal(expected);
    });
  }

  it('joins every value a [*] path selects in a string column', () => {
    const r = agents({
      printerColumns: [{ name: 'Ports', type: 'string', jsonPath: '.spec.ports[*].name' }],
    });
    const obj = agent('a1', { spec: { ports: [{ name: 'http' }, { name: 'https' }] } });
    expect(toTable(r, [obj], base).rows[0]?.cells).to.deep.equal(['a1', 'http,https']);
  });

  it('gives a kind without printer columns the default Age column', () => {
    const role: KubeObject = {
      apiVersion: 'corral.dev/v1alpha1',
      kind: 'Role',
      metadata: { name: 'r1', creationTimestamp: ago(3 * 24 * 3600_000) },
    };
    const t = toTable(roles(), [role], base);
    expect(t.columnDefinitions?.map(c => [c.name, c.type])).to.deep.equal([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(t.columnDefinitions?.[1]?.description).to.equal(CREATION_TIMESTAMP_DESCRIPTION);
    expect(t.rows[0]?.cells).to.deep.equal(['r1', '3d']);
  });

  it('prints namespaces as NAME STATUS AGE, like kubectl against kube', () => {
    const ns = (name: string, phase?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, creationTimestamp: ago(45_000) },
      ...(phase === undefined ? {} : { status: { phase } }),
    });
    const t = toTable(namespaces(), [ns('default', 'Active'), ns('new')], base);
    expect(t.columnDefinitions?.map(c => c.name)).to.deep.equal(['Name', 'Status', 'Age']);
    expect(t.rows.map(r => r.cells)).to.deep.equal([
      ['default', 'Active', '45s'],
      ['new', '', '45s'],
    ]);
  });

  it('prints CRDs with their creation time, as kube does', () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'agents.corral.dev', creationTimestamp: '2026-01-02T03:04:05Z' },
    };
    const t = toTable(crds(), [crd], base);
    expect(t.columnDefinitions?.map(c => c.name)).to.deep.equal(['Name', 'Created At']);
    expect(t.rows[0]?.cells).to.deep.equal(['agents.corral.dev', '2026-01-02T03:04:05Z']);
  });

  it('carries PartialObjectMetadata with the full metadata by default', () => {
    const obj = agent('a1', { spec: { replicas: 1 } });
    expect(toTable(agents(), [obj], base).rows[0]?.object).to.deep.equal({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: obj.metadata,
    });
  });

  it('carries the whole object for includeObject=Object and nothing for None', () => {
    const obj = agent('a1', { spec: { replicas: 1 } });
    expect(toTable(agents(), [obj], { ...base, includeObject: 'Object' }).rows[0]?.object).to.equal(
      obj,
    );
    expect(toTable(agents(), [obj], { ...base, includeObject: 'None' }).rows[0]).to.deep.equal({
      cells: ['a1', 1, null, null, null],
    });
  });

  it('keeps the order of the objects, one row each', () => {
    const t = toTable(agents(), [agent('b'), agent('a'), agent('c')], base);
    expect(t.rows.map(r => r.cells[0])).to.deep.equal(['b', 'a', 'c']);
  });

  it('omits columnDefinitions for watch events after the first', () => {
    const t = toTable(agents(), [agent('a1')], { ...base, noHeaders: true });
    expect(t).not.to.have.property('columnDefinitions');
    expect(t.rows).to.have.length(1);
  });

  it('copies the list metadata, leaving out empty fields', () => {
    const full = toTable(agents(), [], {
      ...base,
      listMeta: { resourceVersion: '101', continue: 'tok', remainingItemCount: 4 },
    });
    expect(full.metadata).to.deep.equal({
      resourceVersion: '101',
      continue: 'tok',
      remainingItemCount: 4,
    });
    expect(
      toTable(agents(), [], { ...base, listMeta: { resourceVersion: '', continue: '' } }).metadata,
    ).to.deep.equal({});
    expect(toTable(agents(), [], base).metadata).to.deep.equal({});
  });

  it('answers in meta.k8s.io/v1beta1 when that is the version asked for', () => {
    const t = toTable(agents(), [agent('a1')], { ...base, version: 'v1beta1' });
    expect(t.apiVersion).to.equal('meta.k8s.io/v1beta1');
    expect(t.rows[0]?.object).to.include({ apiVersion: 'meta.k8s.io/v1beta1' });
  });

  it('leaves the cells of an unparsable printer column empty', () => {
    const r = agents({ printerColumns: [{ name: 'Bad', type: 'string', jsonPath: '..name' }] });
    expect(toTable(r, [agent('a1')], base).rows[0]?.cells).to.deep.equal(['a1', null]);
  });

  it('returns fresh column definitions each time', () => {
    const r = agents();
    const first = toTable(r, [], base).columnDefinitions;
    if (first?.[0] !== undefined) first[0].name = 'changed';
    expect(toTable(r, [], base).columnDefinitions?.[0]?.name).to.equal('Name');
  });
});
