import { expect } from 'chai';
import { Resources, formatScalar } from '../../../../core/resources/index.ts';
import { build, res } from './builders.ts';

describe('Resources', () => {
  describe('scalar arithmetic', () => {
    const cases: { name: string; a: string; op: 'add' | 'subtract'; b: string; want: string }[] = [
      {
        name: 'ScalarAddition: adds cpus 1 + 2 = 3',
        a: 'cpus:1;mem:5',
        op: 'add',
        b: 'cpus:2;mem:10',
        want: 'cpus:3; mem:15',
      },
      {
        name: 'ScalarAddition2: keeps roles apart',
        a: 'cpus(role1):1;cpus(role2):2',
        op: 'add',
        b: 'cpus(role1):3',
        want: 'cpus(reservations: [(STATIC,role1)]):4; cpus(reservations: [(STATIC,role2)]):2',
      },
      {
        name: 'ScalarSubtraction: 50 - 0.5 cpus',
        a: 'cpus:50;mem:4096',
        op: 'subtract',
        b: 'cpus:0.5;mem:1024',
        want: 'cpus:49.5; mem:3072',
      },
      {
        name: 'ScalarSubtraction2: only the matching role is reduced',
        a: 'cpus(role1):5;cpus(role2):3',
        op: 'subtract',
        b: 'cpus(role1):1',
        want: 'cpus(reservations: [(STATIC,role1)]):4; cpus(reservations: [(STATIC,role2)]):3',
      },
      {
        name: 'subtracting more than held floors at zero (the resource disappears)',
        a: 'cpus:1;mem:10',
        op: 'subtract',
        b: 'cpus:2',
        want: 'mem:10',
      },
      {
        name: 'subtracting what is not held is ignored',
        a: 'cpus:1',
        op: 'subtract',
        b: 'cpus(eng):1;mem:3',
        want: 'cpus:1',
      },
      {
        name: 'zero-valued resources vanish',
        a: 'cpus:0;mem:0',
        op: 'add',
        b: 'disk:0',
        want: '{}',
      },
      {
        name: 'subtracting everything leaves the empty collection',
        a: 'cpus:1',
        op: 'subtract',
        b: 'cpus:1',
        want: '{}',
      },
    ];
    for (const tc of cases) {
      it(`ResourcesTest.${tc.name}`, () => {
        expect(res(tc.a)[tc.op](res(tc.b)).toString()).to.equal(tc.want);
      });
    }
  });

  it('ResourcesTest.ScalarSubset: containment needs the same metadata', () => {
    expect(res('cpus:2;mem:1024').contains(res('cpus:1;mem:512'))).to.equal(true);
    expect(res('cpus:1;mem:512').contains(res('cpus:2;mem:1024'))).to.equal(false);
    expect(res('cpus:2').contains(res('cpus(eng):1'))).to.equal(false);
    expect(res('cpus:2').contains(Resources.EMPTY)).to.equal(true);
    expect(Resources.EMPTY.contains(res('cpus:1'))).to.equal(false);
  });

  it('ResourcesTest.EmptyUnequal: empty and non-empty differ', () => {
    expect(Resources.EMPTY.equals(res('cpus:1'))).to.equal(false);
    expect(res('cpus:1').equals(Resources.EMPTY)).to.equal(false);
    expect(Resources.EMPTY.equals(res('cpus:0'))).to.equal(true);
  });

  it('ResourcesTest.Count: merged non-shared resources hold no copy of a part', () => {
    const cpus = build('cpus', '1').obj();
    expect(Resources.of(cpus).count(cpus)).to.equal(1);
    expect(Resources.of(cpus, cpus).count(cpus)).to.equal(0);
  });

  it('RevocableResourceTest.Addition: revocable and non-revocable do not merge', () => {
    const rev = build('cpus', '1').revocable().obj();
    const plain = build('cpus', '1').obj();
    expect(Resources.of(rev, rev).equals(build('cpus', '2').revocable().all())).to.equal(true);
    const sum = Resources.of(rev, plain);
    expect(sum.size).to.equal(2);
    expect(sum.contains(rev) && sum.contains(plain)).to.equal(true);
    expect(sum.contains(build('cpus', '2').obj())).to.equal(false);
    expect(sum.revocable().equals(Resources.of(rev))).to.equal(true);
    expect(sum.nonRevocable().equals(Resources.of(plain))).to.equal(true);
  });

  it('RevocableResourceTest.Subtraction: revocable only cancels revocable', () => {
    const rev = build('cpus', '1').revocable().all();
    expect(rev.subtract(res('cpus:1')).equals(rev)).to.equal(true);
    expect(rev.subtract(rev).isEmpty()).to.equal(true);
  });

  it('ResourceProviderIDTest.Addition: provider resources merge only with the same provider', () => {
    const plain = build('disk', '1').obj();
    const fromRp = build('disk', '1').provider('RESOURCE_PROVIDER_ID').obj();
    expect(Resources.of(fromRp, fromRp).size).to.equal(1);
    expect(formatScalar(Resources.of(fromRp, fromRp).scalar('disk'))).to.equal('2');
    const mixed = Resources.of(plain, fromRp);
    expect(mixed.size).to.equal(2);
    expect(mixed.contains(plain) && mixed.contains(fromRp)).to.equal(true);
    expect(Resources.of(fromRp).contains(plain)).to.equal(false);
  });

  it('AllocatedResourcesTest.Addition: allocations to different roles stay apart', () => {
    const a = res('cpus:1').allocate('role1');
    const b = res('cpus:1').allocate('role2');
    expect(a.add(b).size).to.equal(2);
    expect(formatScalar(a.add(b).scalar('cpus'))).to.equal('2');
    expect(a.contains(res('cpus:1'))).to.equal(false);
    expect(a.add(b).unallocate().equals(res('cpus:2'))).to.equal(true);
  });

  it('AllocatedResourcesTest.Allocations: groups by allocation role', () => {
    const all = res('cpus:1;mem:2')
      .allocate('a')
      .add(res('cpus:3').allocate('b'))
      .add(res('disk:5'));
    const groups = all.allocations();
    expect([...groups.keys()]).to.deep.equal(['a', 'b']);
    expect(groups.get('a')?.equals(res('cpus:1;mem:2').allocate('a'))).to.equal(true);
    expect(all.allocatedToRoleSubtree('a').equals(res('cpus:1;mem:2').allocate('a'))).to.equal(
      true,
    );
  });

  it('ResourcesTest.Get/Names/ScalarTotals: totals per name across metadata', () => {
    const r = res('cpus:1;cpus(eng):2;ports:[1-3];ports(eng):[5-6];zones:{a}');
    expect(r.names()).to.deep.equal(['cpus', 'ports', 'zones']);
    expect(formatScalar(r.scalar('cpus'))).to.equal('3');
    expect(r.ranges('ports')).to.deep.equal([
      { begin: 1, end: 3 },
      { begin: 5, end: 6 },
    ]);
    expect(r.named('ports').size).to.equal(2);
    expect(r.scalars().names()).to.deep.equal(['cpus']);
  });

  it('rejects an invalid raw resource instead of silently ignoring it as Mesos does', () => {
    const bad = {
      ...build('cpus', '1').obj(),
      reservations: [{ type: 'DYNAMIC' as const, role: '*' }],
    };
    expect(() => Resources.of(bad)).to.throw(RangeError, /cannot be reserved/);
    expect(() => res('cpus:1').add(bad)).to.throw(RangeError);
  });

  it('prints resources in a canonical order whatever the order of addition', () => {
    const a = res('mem:128').add(res('ports:[31000-32000]')).add(res('cpus:1'));
    const b = res('ports:[31000-32000]').add(res('cpus:1;mem:128'));
    expect(a.toString()).to.equal('cpus:1; mem:128; ports:[31000-32000]');
    expect(b.toString()).to.equal(a.toString());
  });
});
