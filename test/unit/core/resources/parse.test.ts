import { expect } from 'chai';
import {
  ResourceParseError,
  parseLimits,
  parseQuantities,
  parseResourceList,
  parseResourceMap,
  parseResourceText,
  parseResources,
  renderLimits,
  renderQuantities,
  renderResourceList,
  renderResourceMap,
} from '../../../../core/resources/index.ts';
import { diskRes, lim, mountSource, qty, res } from './builders.ts';

function parseErrorOf(fn: () => unknown): ResourceParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ResourceParseError) return e;
    throw e;
  }
  throw new Error('expected a ResourceParseError');
}

describe('parsing and rendering', () => {
  describe('the simple map form', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'k8s quantities',
        { cpus: '500m', mem: '2Gi', disk: '100Mi' },
        'cpus:0.5; disk:100; mem:2048',
      ],
      [
        'plain numbers in Mesos units',
        { cpus: 2, mem: 4096, gpus: '1' },
        'cpus:2; gpus:1; mem:4096',
      ],
      [
        'ports in both range forms',
        { ports: '31000-32000,33000' },
        'ports:[31000-32000, 33000-33000]',
      ],
      ['bracketed ranges', { ports: '[31000-32000]' }, 'ports:[31000-32000]'],
      ['a single port number', { ports: 33000 }, 'ports:[33000-33000]'],
      ['a set as a list', { zones: ['b', 'a'] }, 'zones:{a, b}'],
      ['a set in braces', { zones: '{a,b}' }, 'zones:{a, b}'],
      ['ranges of a custom resource', { slots: '1-4' }, 'slots:[1-4]'],
      ['a custom scalar', { widgets: '1e3' }, 'widgets:1000'],
      ['zero is dropped', { cpus: '0', mem: '1' }, 'mem:1'],
    ];
    for (const [name, input, want] of cases) {
      it(name, () => expect(parseResourceMap(input).toString()).to.equal(want));
    }

    const errors: [string, unknown, string, RegExp][] = [
      ['not an object', [1], 'resources', /must be an object/],
      ['a bad quantity', { cpus: 'lots' }, 'resources.cpus', /invalid quantity/],
      ['a range for cpus', { cpus: '1-2' }, 'resources.cpus', /invalid quantity/],
      ['an inverted range', { ports: '5-1' }, 'resources.ports', /begin > end/],
      ['a bad range token', { ports: '1-2-3' }, 'resources.ports', /invalid range/],
      ['a duplicate set item', { zones: ['a', 'a'] }, 'resources.zones', /duplicated/],
      ['a negative number', { mem: -1 }, 'resources.mem', /negative/],
      ['mismatched brackets', { ports: '[1-2' }, 'resources.ports', /mismatched brackets/],
    ];
    for (const [name, input, field, why] of errors) {
      it(`rejects ${name} at ${field}`, () => {
        const e = parseErrorOf(() => parseResourceMap(input));
        expect(e.field).to.equal(field);
        expect(e.message).to.match(why);
      });
    }

    it('renders back to the same resources', () => {
      const r = parseResourceMap({
        cpus: '1.5',
        mem: '2Gi',
        ports: '31000-32000,33000',
        zones: '{a}',
        slots: '[7]',
      });
      const map = renderResourceMap(r);
      expect(map).to.deep.equal({
        cpus: '1.5',
        mem: '2048',
        ports: '31000-32000,33000',
        slots: '[7]',
        zones: '{a}',
      });
      expect(parseResourceMap(map).toString()).to.equal(r.toString());
    });

    it('refuses to render reserved resources in the map form', () => {
      expect(() => renderResourceMap(res('cpus(eng):1'))).to.throw(RangeError, /list form/);
    });
  });

  describe('the full list form', () => {
    const volume = {
      name: 'disk',
      type: 'SCALAR',
      scalar: '1Gi',
      reservations: [
        { type: 'STATIC', role: 'eng' },
        { type: 'DYNAMIC', role: 'eng/ml', principal: 'alice', labels: { team: 'ml' } },
      ],
      disk: {
        persistence: { id: 'v1', principal: 'alice' },
        volume: { containerPath: '/data', mode: 'RW' },
        source: { type: 'MOUNT', root: '/mnt/a' },
      },
      shared: true,
    };

    it('reads every field', () => {
      const r = parseResourceList([
        volume,
        { name: 'cpus', scalar: 2, revocable: true, providerId: 'rp' },
      ]);
      expect(r.toString()).to.equal(
        'cpus@rp{REV}:2; disk(reservations: [(STATIC,eng),(DYNAMIC,eng/ml,alice,{team: ml})])[MOUNT:/mnt/a,v1:/data]<SHARED>:1024<1>',
      );
    });

    it('round-trips through render, shared copies included', () => {
      const r = parseResourceList([
        volume,
        volume,
        { name: 'ports', ranges: ['1-3', 7, { begin: 9, end: 10 }] },
      ]);
      const rendered = renderResourceList(r);
      expect(rendered.filter(x => x.name === 'disk')).to.have.length(2);
      expect(rendered.find(x => x.name === 'ports')).to.deep.equal({
        name: 'ports',
        type: 'RANGES',
        ranges: '1-3,7,9-10',
      });
      const back = parseResourceList(JSON.parse(JSON.stringify(rendered)));
      expect(back.toString()).to.equal(r.toString());
      expect(back.equals(r)).to.equal(true);
    });

    it('reads ROOT as no source', () => {
      const r = parseResourceList([
        { name: 'disk', scalar: '10', disk: { source: { type: 'ROOT' } } },
      ]);
      expect(r.toString()).to.equal('disk[]:10');
    });

    const errors: [string, unknown, string, RegExp][] = [
      ['no value', [{ name: 'cpus' }], 'resources[0]', /exactly one of scalar, ranges or set/],
      ['two values', [{ name: 'x', scalar: 1, set: ['a'] }], 'resources[0]', /exactly one/],
      [
        'a type mismatch',
        [{ name: 'x', type: 'SET', scalar: 1 }],
        'resources[0].type',
        /given as scalar/,
      ],
      [
        'an unknown field',
        [{ name: 'cpus', scalar: 1, role: 'eng' }],
        'resources[0].role',
        /unknown field/,
      ],
      ['an empty name', [{ name: '', scalar: 1 }], 'resources[0].name', /must not be empty/],
      [
        'a well-known name with the wrong type',
        [{ name: 'ports', scalar: 1 }],
        'resources[0]',
        /must be a RANGES/,
      ],
      [
        'a reservation without a type',
        [{ name: 'cpus', scalar: 1, reservations: [{ role: 'eng' }] }],
        'resources[0].reservations[0].type',
        /one of STATIC, DYNAMIC/,
      ],
      [
        'an invalid role',
        [{ name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: 'eng//x' }] }],
        'resources[0].reservations[0].role',
        /adjacent slashes/,
      ],
      [
        'a non-refining stack',
        [
          {
            name: 'cpus',
            scalar: 1,
            reservations: [
              { type: 'DYNAMIC', role: 'a' },
              { type: 'DYNAMIC', role: 'b' },
            ],
          },
        ],
        'resources[0].reservations',
        /not a refinement/,
      ],
      [
        'a root on a BLOCK source',
        [{ name: 'disk', scalar: 1, disk: { source: { type: 'BLOCK', root: '/x' } } }],
        'resources[0].disk.source.root',
        /must not be set/,
      ],
      [
        'a shared non-volume',
        [{ name: 'disk', scalar: 1, shared: true }],
        'resources[0]',
        /Only persistent volumes/,
      ],
      [
        'disk info on cpus',
        [{ name: 'cpus', scalar: 1, disk: {} }],
        'resources[0]',
        /DiskInfo should not be set/,
      ],
      [
        'a bad volume mode',
        [{ name: 'disk', scalar: 1, disk: { volume: { containerPath: '/d', mode: 'RX' } } }],
        'resources[0].disk.volume.mode',
        /RW, RO/,
      ],
      [
        'mixed types for one name',
        [
          { name: 'x', scalar: 1 },
          { name: 'x', set: ['a'] },
        ],
        'resources',
        /different types/,
      ],
      [
        'a bad allocation role',
        [{ name: 'cpus', scalar: 1, allocationRole: '-x' }],
        'resources[0].allocationRole',
        /dash/,
      ],
      [
        'a non-integer range bound',
        [{ name: 'ports', ranges: [{ begin: 1.5, end: 2 }] }],
        'resources[0].ranges[0].begin',
        /non-negative integer/,
      ],
    ];
    for (const [name, input, field, why] of errors) {
      it(`rejects ${name} at ${field}`, () => {
        const e = parseErrorOf(() => parseResourceList(input));
        expect(e.field).to.equal(field);
        expect(e.message).to.match(why);
      });
    }
  });

  describe('Mesos text form (ResourcesTest.Parsing*)', () => {
    it('reads roles as static reservations and honours a default role', () => {
      expect(res('cpus(role1):2;mem:5').toString()).to.equal(
        'cpus(reservations: [(STATIC,role1)]):2; mem:5',
      );
      expect(parseResourceText('cpus:2', 'eng').toString()).to.equal(
        'cpus(reservations: [(STATIC,eng)]):2',
      );
      expect(parseResourceText('cpus(*):2', 'eng').toString()).to.equal('cpus:2');
    });

    it('reads a JSON list, as Mesos does', () => {
      expect(parseResourceText('[{"name":"cpus","scalar":1}]').toString()).to.equal('cpus:1');
    });

    const errors: [string, RegExp][] = [
      ['cpus(role1)', /missing or extra ':'/],
      ['cpus(role1:1', /mismatched parentheses/],
      ['cpus)(role1:1', /mismatched parentheses/],
      ['foo(role1):1;foo(role2):[0-1]', /different types/],
      ['cpus(-x):1', /dash/],
      ['cpus:1:2', /missing or extra ':'/],
      ['[not json', /invalid JSON/],
    ];
    for (const [text, why] of errors) {
      it(`ResourcesTest.ParseError: rejects ${text}`, () => {
        expect(parseErrorOf(() => parseResourceText(text)).message).to.match(why);
      });
    }
  });

  it('parseResources dispatches on the shape', () => {
    expect(parseResources({ cpus: 1 }).toString()).to.equal('cpus:1');
    expect(parseResources([{ name: 'cpus', scalar: 1 }]).toString()).to.equal('cpus:1');
    expect(parseResources('cpus:1').toString()).to.equal('cpus:1');
    expect(parseErrorOf(() => parseResources(5, 'spec.resources')).field).to.equal(
      'spec.resources',
    );
  });

  it('reads and renders quantities and limits maps', () => {
    const q = parseQuantities({ cpus: '1.5', mem: '1Gi', ports: 3, gpus: 0 });
    expect(q.equals(qty('cpus:1.5;mem:1024;ports:3'))).to.equal(true);
    expect(renderQuantities(q)).to.deep.equal({ cpus: '1.5', mem: '1024', ports: '3' });
    const l = parseLimits({ cpus: 0, mem: '512Mi' });
    expect(l.equals(lim('cpus:0;mem:512'))).to.equal(true);
    expect(renderLimits(l)).to.deep.equal({ cpus: '0', mem: '512' });
    expect(parseErrorOf(() => parseQuantities({ cpus: '-1' }, 'spec.guarantees')).field).to.equal(
      'spec.guarantees.cpus',
    );
  });

  it('keeps MOUNT disks whole through a render round trip', () => {
    const m = diskRes('10', { role: 'r', source: mountSource('/m') });
    const back = parseResourceList(renderResourceList(m.add(m)));
    expect(back.size).to.equal(2);
    expect(back.equals(m.add(m))).to.equal(true);
  });
});
