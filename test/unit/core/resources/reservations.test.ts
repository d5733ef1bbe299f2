import { expect } from 'chai';
import {
  Resources,
  isAllocatableTo,
  reservationAncestor,
  reservationRole,
  validateReservations,
} from '../../../../core/resources/index.ts';
import type { ReservationInfo } from '../../../../core/resources/index.ts';
import { build, dynamicRes, res, staticRes } from './builders.ts';

describe('reservations', () => {
  it('ResourcesTest.Reservations: groups and filters by reservation role', () => {
    const unreserved = res('cpus:1;mem:2;disk:4');
    const role1 = res('cpus(role1):2;mem(role1):4;disk(role1):8');
    const role2 = res('cpus(role2):4;mem(role2):8;disk(role2):6');
    const all = Resources.sum([unreserved, role1, role2]);
    const groups = all.reservations();
    expect(groups.size).to.equal(2);
    expect(groups.get('role1')?.equals(role1)).to.equal(true);
    expect(groups.get('role2')?.equals(role2)).to.equal(true);
    expect(all.reserved('role1').equals(role1)).to.equal(true);
    expect(all.reserved('*').isEmpty()).to.equal(true); // `*` is not a reservation
    expect(all.unreserved().equals(unreserved)).to.equal(true);
    expect(all.reserved().equals(role1.add(role2))).to.equal(true);
  });

  describe('ResourcesTest.HierarchicalReservations: allocatableTo follows the role tree', () => {
    const unreserved = res('cpus:1;mem:2;disk:4');
    const grandfather = res('cpus(a):2;mem(a):4;disk(a):8');
    const father = res('cpus(a/bx):4;mem(a/bx):8;disk(a/bx):16');
    const uncle = res('cpus(a/b):4;mem(a/b):8;disk(a/b):16');
    const child = res('cpus(a/bx/c):8;mem(a/bx/c):16;disk(a/bx/c):32');
    const family = Resources.sum([unreserved, grandfather, father, uncle, child]);
    const cases: [string, Resources][] = [
      ['*', unreserved],
      ['a', Resources.sum([grandfather, unreserved])],
      ['a/bx', Resources.sum([grandfather, father, unreserved])],
      ['a/bx/c', Resources.sum([grandfather, father, child, unreserved])],
      ['a/b', Resources.sum([grandfather, uncle, unreserved])],
      ['ab', unreserved], // a lookalike of `a`, not a child
      ['b', unreserved],
    ];
    for (const [role, want] of cases) {
      it(`allocatable to ${role}`, () => {
        expect(family.allocatableTo(role).toString()).to.equal(want.toString());
      });
    }
  });

  it('offers an `eng` reservation to `eng/ml` and `eng`, not to `engineering` or `ops`', () => {
    const r = build('cpus', '1').reserve(dynamicRes('eng', 'alice')).obj();
    expect(['eng', 'eng/ml', 'eng/ml/x'].map(role => isAllocatableTo(r, role))).to.deep.equal([
      true,
      true,
      true,
    ]);
    expect(['engineering', 'ops', '*'].map(role => isAllocatableTo(r, role))).to.deep.equal([
      false,
      false,
      false,
    ]);
  });

  it('ResourcesTest.ToUnreserved: clears stacks and merges', () => {
    const r = res('cpus(role1):1;cpus(role2):2;mem(role1):5');
    expect(r.toUnreserved().equals(res('cpus:3;mem:5'))).to.equal(true);
  });

  describe('ReservationRefinement: stack rules', () => {
    const cases: { name: string; stack: ReservationInfo[]; why?: RegExp }[] = [
      { name: 'a single static reservation', stack: [staticRes('eng')] },
      {
        name: 'a dynamic refinement of a static one',
        stack: [staticRes('eng'), dynamicRes('eng/ml')],
      },
      { name: 'skipping levels', stack: [dynamicRes('eng'), dynamicRes('eng/backend/db')] },
      {
        name: 'static above the bottom',
        stack: [dynamicRes('eng'), staticRes('eng/ml')],
        why: /cannot be STATIC/,
      },
      {
        name: 'the same role twice',
        stack: [dynamicRes('eng'), dynamicRes('eng')],
        why: /not a refinement/,
      },
      {
        name: 'a sibling',
        stack: [dynamicRes('eng/a'), dynamicRes('eng/b')],
        why: /not a refinement/,
      },
      {
        name: 'a lookalike',
        stack: [dynamicRes('eng'), dynamicRes('engineering')],
        why: /not a refinement/,
      },
      {
        name: 'an ancestor',
        stack: [dynamicRes('eng/ml'), dynamicRes('eng')],
        why: /not a refinement/,
      },
      { name: 'the default role', stack: [dynamicRes('*')], why: /cannot be reserved/ },
      { name: 'an invalid role', stack: [dynamicRes('eng/../x')], why: /'..'/ },
    ];
    for (const tc of cases) {
      it(`${tc.why === undefined ? 'accepts' : 'rejects'} ${tc.name}`, () => {
        const bad = validateReservations(tc.stack);
        if (tc.why === undefined) expect(bad).to.equal(undefined);
        else expect(bad).to.match(tc.why);
      });
    }
  });

  it('ReservationRefinement: push eng → eng/backend, pop returns to eng', () => {
    const base = res('cpus:2;mem:10');
    const eng = base.pushReservation(dynamicRes('eng', 'p'));
    const backend = eng.pushReservation(dynamicRes('eng/backend', 'p'));
    expect([...backend].map(reservationRole)).to.deep.equal(['eng/backend', 'eng/backend']);
    expect(backend.popReservation().equals(eng)).to.equal(true);
    expect(backend.popReservation().popReservation().equals(base)).to.equal(true);
    expect(() => eng.pushReservation(dynamicRes('ops'))).to.throw(RangeError, /not a refinement/);
    expect(() => base.popReservation()).to.throw(RangeError, /not reserved/);
  });

  it('ReservedResourcesTest.AdditionDynamicallyReserved*: equal labels merge, distinct labels do not', () => {
    const r1 = build('cpus', '6')
      .reserve(dynamicRes('role', 'principal', { foo: 'bar' }))
      .all();
    const r2 = build('cpus', '6')
      .reserve(dynamicRes('role', 'principal', { foo: 'baz' }))
      .all();
    const same = build('cpus', '12')
      .reserve(dynamicRes('role', 'principal', { foo: 'bar' }))
      .all();
    expect(r1.add(r1).equals(same)).to.equal(true);
    const sum = r1.add(r2);
    expect(sum.size).to.equal(2);
    expect(sum.equals(r1.add(r1))).to.equal(false);
    expect(sum.equals(r2.add(r1))).to.equal(true);
  });

  it('ReservedResourcesTest.Contains: static and dynamic reservations are distinct', () => {
    const r1 = build('cpus', '8').reserve(staticRes('role')).all();
    const r2 = build('cpus', '12').reserve(dynamicRes('role', 'principal')).all();
    expect(r1.contains(r1) && r2.contains(r2)).to.equal(true);
    expect(r1.contains(r2) || r2.contains(r1)).to.equal(false);
    expect(r1.contains(r1.add(r2))).to.equal(false);
    expect(r1.add(r2).contains(r1) && r1.add(r2).contains(r2)).to.equal(true);
  });

  it('ResourcesTest.ReservationAncestor: the common bottom of two stacks', () => {
    const base = res('cpus:2;mem:10');
    const foo = base.pushReservation(dynamicRes('foo'));
    const fooBar = foo.pushReservation(dynamicRes('foo/bar'));
    const fooBaz = foo.pushReservation(dynamicRes('foo/baz'));
    const cases: [Resources, Resources, Resources][] = [
      [base, base, base],
      [foo, foo, foo],
      [foo, base, base],
      [base, foo, base],
      [fooBar, fooBar, fooBar],
      [fooBar, base, base],
      [fooBar, foo, foo],
      [foo, fooBar, foo],
      [fooBar, fooBaz, foo],
    ];
    for (const [a, b, want] of cases) expect(reservationAncestor(a, b).equals(want)).to.equal(true);
    expect(() => reservationAncestor(base, res('cpus:1'))).to.throw(RangeError, /not the same/);
  });
});
