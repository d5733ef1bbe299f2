import { expect } from 'chai';
import { deepFreeze } from '../../../../core/util/deep-freeze.ts';

// every object and array reachable from `root`, with the path that reaches it
function containers(root: unknown, path = '$'): [string, object][] {
  if (typeof root !== 'object' || root === null) return [];
  const out: [string, object][] = [[path, root]];
  for (const [k, v] of Object.entries(root)) out.push(...containers(v, `${path}.${k}`));
  return out;
}

const unfrozen = (root: unknown): string[] =>
  containers(root)
    .filter(([, o]) => !Object.isFrozen(o))
    .map(([p]) => p);

describe('deepFreeze', () => {
  it('freezes every object and array of a parsed resource, however deep', () => {
    const task: unknown = JSON.parse(
      JSON.stringify({
        metadata: {
          name: 't',
          labels: { a: 'b' },
          managedFields: [{ fieldsV1: { 'f:spec': {} } }],
        },
        spec: {
          allocatedResources: [{ name: 'cpus', reservations: [{ role: 'r', labels: {} }] }],
          env: [],
          matrix: [[{ x: 1 }], [null, 2, 'three', [true]]],
        },
        status: null,
      }),
    );
    expect(deepFreeze(task)).to.equal(task);
    expect(containers(task)).to.have.length(19);
    expect(unfrozen(task)).to.deep.equal([]);
  });

  it('descends into an already frozen container that holds unfrozen values', () => {
    // as makeRanges hands out: the array frozen, its intervals not
    const ranges = Object.freeze([
      { begin: 1, end: 2 },
      { begin: 5, end: 9 },
    ]);
    const resource = Object.freeze({ name: 'ports', ranges, extra: { deeper: [{}] } });
    expect(unfrozen(resource)).to.deep.equal([
      '$.ranges.0',
      '$.ranges.1',
      '$.extra',
      '$.extra.deeper',
      '$.extra.deeper.0',
    ]);
    deepFreeze(resource);
    expect(unfrozen(resource)).to.deep.equal([]);
  });

  it('makes writes to a frozen object throw in strict mode', () => {
    const obj = deepFreeze({ spec: { ports: [{ port: 80 }] } });
    expect(() => {
      (obj.spec.ports[0] as { port: number }).port = 81;
    }).to.throw(TypeError);
    expect(() => (obj.spec.ports as { port: number }[]).push({ port: 1 })).to.throw(TypeError);
  });

  it('returns primitives and null as they are', () => {
    const table: unknown[] = [null, undefined, 0, 'x', true, 10n];
    for (const v of table) expect(deepFreeze(v)).to.equal(v);
  });

  it('handles objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, {
      inner: { list: [{}] },
    });
    deepFreeze(bare);
    expect(unfrozen(bare)).to.deep.equal([]);
  });
});
