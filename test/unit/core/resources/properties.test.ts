import { expect } from 'chai';
import fc from 'fast-check';
import {
  makeRanges,
  makeResource,
  makeSet,
  parseQuantity,
  parseResourceList,
  parseResourceMap,
  rangesAdd,
  rangesContains,
  rangesSubtract,
  renderResourceList,
  renderResourceMap,
  isSimpleResource,
  formatScalar,
  ResourceLimits,
  ResourceQuantities,
  Resources,
  scalarFromMilli,
} from '../../../../core/resources/index.ts';
import type {
  DiskInfo,
  Range,
  ReservationInfo,
  Resource,
  ResourceValue,
} from '../../../../core/resources/index.ts';
import { dynamicRes, mountSource, pathSource, staticRes } from './builders.ts';

// Generators. `pool` keeps the range and set elements of two collections apart, because
// a + b − b = a only holds when a and b share no port or set item (a + b is a union there).

const STACKS: readonly (readonly ReservationInfo[])[] = [
  [],
  [staticRes('eng')],
  [staticRes('eng'), dynamicRes('eng/ml', 'alice')],
  [dynamicRes('eng/ml', 'bob', { team: 'ml' })],
  [dynamicRes('ops')],
];
const SCALAR_NAMES = ['cpus', 'mem', 'gpus', 'widgets'] as const;
const milli = fc.bigInt({ min: 1n, max: 5_000_000n }).map(scalarFromMilli);
const scalarValue = milli.map((scalar): ResourceValue => ({ type: 'SCALAR', scalar }));

function rangesIn(base: number): fc.Arbitrary<ResourceValue> {
  const range = fc
    .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 30 }))
    .map(([b, len]): Range => ({ begin: base + b, end: base + b + len }));
  return fc
    .array(range, { minLength: 1, maxLength: 4 })
    .map(list => ({ type: 'RANGES', ranges: makeRanges(list) }));
}

function setIn(prefix: string): fc.Arbitrary<ResourceValue> {
  return fc
    .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 4 })
    .map(items => ({ type: 'SET', set: makeSet(items.map(i => `${prefix}${i}`)) }));
}

const DISKS: readonly (DiskInfo | undefined)[] = [
  undefined,
  { source: pathSource('/p') },
  { source: mountSource('/m') },
  { persistence: { id: 'v1' }, volume: { containerPath: '/d', mode: 'RW' } },
  { persistence: { id: 'v2' }, source: mountSource('/m2') },
];

function resource(pool: 'A' | 'B'): fc.Arbitrary<Resource> {
  const stack = fc.constantFrom(...STACKS);
  const plain = fc
    .record({
      name: fc.constantFrom(...SCALAR_NAMES),
      value: scalarValue,
      reservations: stack,
      revocable: fc.boolean(),
    })
    .map(r => makeResource(r));
  const ports = fc
    .record({ value: rangesIn(pool === 'A' ? 1000 : 5000), reservations: stack })
    .map(r => makeResource({ name: 'ports', ...r }));
  const zones = fc
    .record({ value: setIn(pool), reservations: stack })
    .map(r => makeResource({ name: 'zones', ...r }));
  const disk = fc
    .record({ value: scalarValue, disk: fc.constantFrom(...DISKS), shared: fc.boolean() })
    .map(({ value, disk: d, shared }) =>
      makeResource({
        name: 'disk',
        value,
        reservations: [staticRes('eng')],
        ...(d === undefined ? {} : { disk: d }),
        // Only persistent volumes may be shared.
        shared: shared && d?.persistence !== undefined,
      }),
    );
  return fc.oneof(plain, plain, ports, zones, disk);
}

const resources = (pool: 'A' | 'B' = 'A') =>
  fc.array(resource(pool), { maxLength: 6 }).map(list => Resources.from(list));

const same = (a: Resources, b: Resources): boolean => a.equals(b) && a.toString() === b.toString();

describe('resource arithmetic properties', () => {
  it('add is commutative and the result prints the same', () => {
    fc.assert(fc.property(resources(), resources(), (a, b) => same(a.add(b), b.add(a))));
  });

  it('add is associative', () => {
    fc.assert(
      fc.property(resources(), resources(), resources(), (a, b, c) =>
        same(a.add(b).add(c), a.add(b.add(c))),
      ),
    );
  });

  it('a + b − b = a when a and b share no port or set item', () => {
    fc.assert(
      fc.property(resources('A'), resources('B'), (a, b) => a.add(b).subtract(b).equals(a)),
    );
  });

  it('a + b contains a and b', () => {
    fc.assert(
      fc.property(resources(), resources(), (a, b) => a.add(b).contains(a) && a.add(b).contains(b)),
    );
  });

  it('subtract never goes negative and never grows', () => {
    fc.assert(
      fc.property(resources(), resources(), (a, b) => {
        const diff = a.subtract(b);
        const positive = diff
          .toArray()
          .every(r => r.value.type !== 'SCALAR' || r.value.scalar > 0n);
        return positive && a.contains(diff);
      }),
    );
  });

  it('equality is mutual containment and survives a reorder', () => {
    fc.assert(
      fc.property(fc.array(resource('A'), { maxLength: 6 }), list => {
        const forward = Resources.from(list);
        const backward = Resources.from([...list].reverse());
        return same(forward, backward);
      }),
    );
  });
});

const scalarTarget = fc
  .dictionary(
    fc.constantFrom('cpus', 'mem', 'gpus', 'disk'),
    fc.bigInt({ min: 0n, max: 8_000_000n }),
  )
  .map(d => Object.entries(d).map(([n, m]) => [n, scalarFromMilli(m)] as const));

function divisible(r: Resources): boolean {
  return r
    .toArray()
    .every(
      x =>
        x.disk === undefined || (x.disk.source === undefined && x.disk.persistence === undefined),
    );
}

describe('shrink properties', () => {
  it('shrink to quantities stays inside the input and the target, and meets it when divisible', () => {
    fc.assert(
      fc.property(
        resources(),
        scalarTarget,
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (input, pairs, rnd) => {
          const target = ResourceQuantities.from(pairs);
          const out = input.shrink(target, { random: () => rnd });
          expect(input.contains(out)).to.equal(true);
          expect(target.contains(out.toQuantities())).to.equal(true);
          if (divisible(input)) {
            const have = input.toQuantities();
            for (const [name] of pairs) {
              const want = have.get(name) < target.get(name) ? have.get(name) : target.get(name);
              expect(out.toQuantities().get(name)).to.equal(want);
            }
          }
        },
      ),
    );
  });

  it('shrink to limits stays inside the input, within the limits, and keeps unlimited names', () => {
    fc.assert(
      fc.property(resources(), scalarTarget, (input, pairs) => {
        const limits = ResourceLimits.from(pairs);
        const out = input.shrink(limits);
        expect(input.contains(out)).to.equal(true);
        expect(limits.admits(out.toQuantities())).to.equal(true);
        const unlimited = (r: Resources) => r.filter(x => limits.get(x.name) === undefined);
        expect(unlimited(out).equals(unlimited(input))).to.equal(true);
      }),
    );
  });
});

describe('role tree properties', () => {
  const ROLES = ['eng', 'eng/ml', 'eng/ml/deep', 'ops', 'ops/db'];
  it('allocatableTo is monotonic down the role tree', () => {
    fc.assert(
      fc.property(resources(), fc.constantFrom(...ROLES), (r, role) => {
        const child = `${role}/x`;
        return (
          r.allocatableTo(child).contains(r.allocatableTo(role)) &&
          r.allocatableTo(role).contains(r.allocatableTo('*'))
        );
      }),
    );
  });
});

describe('wire form properties', () => {
  it('parse(render(x)) = x for the list form', () => {
    fc.assert(
      fc.property(resources(), r => {
        const back = parseResourceList(JSON.parse(JSON.stringify(renderResourceList(r))));
        return same(back, r);
      }),
    );
  });

  it('parse(render(x)) = x for the map form of simple resources', () => {
    fc.assert(
      fc.property(resources(), r => {
        const simple = r.filter(isSimpleResource);
        return same(
          parseResourceMap(JSON.parse(JSON.stringify(renderResourceMap(simple)))),
          simple,
        );
      }),
    );
  });

  it('a formatted scalar parses back to the same milli-units, and Mi means MB', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), m => {
        const s = scalarFromMilli(m);
        const text = formatScalar(s);
        return (
          parseQuantity(text, { field: 'x', unit: 'count' }) === s &&
          parseQuantity(`${text}Mi`, { field: 'mem', unit: 'megabytes' }) === s
        );
      }),
    );
  });
});

describe('range algebra against a brute-force set', () => {
  const small = fc
    .array(
      fc
        .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 }))
        .map(([b, l]) => ({ begin: b, end: b + l })),
      { maxLength: 5 },
    )
    .map(makeRanges);
  const ints = (rs: readonly Range[]) => {
    const out = new Set<number>();
    for (const r of rs) for (let i = r.begin; i <= r.end; i++) out.add(i);
    return out;
  };
  it('union, difference and containment agree with integer sets', () => {
    fc.assert(
      fc.property(small, small, (a, b) => {
        const A = ints(a);
        const B = ints(b);
        expect([...ints(rangesAdd(a, b))].sort((x, y) => x - y)).to.deep.equal(
          [...new Set([...A, ...B])].sort((x, y) => x - y),
        );
        expect([...ints(rangesSubtract(a, b))].sort((x, y) => x - y)).to.deep.equal(
          [...A].filter(x => !B.has(x)).sort((x, y) => x - y),
        );
        expect(rangesContains(a, b)).to.equal([...B].every(x => A.has(x)));
      }),
    );
  });
});
