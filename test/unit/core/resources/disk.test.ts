import { expect } from 'chai';
import type { Resources } from '../../../../core/resources/index.ts';
import { addable, subtractable } from '../../../../core/resources/index.ts';
import { build, diskRes, mountSource, pathSource, res } from './builders.ts';

const eq = (a: Resources, b: Resources) => a.equals(b);

describe('disk resources and persistent volumes', () => {
  it('DiskResourcesTest.Equals: the volume is ignored, the persistence id is not', () => {
    const r1 = diskRes('10');
    const r2 = diskRes('10', { path: 'path1' });
    const r3 = diskRes('10', { path: 'path2' });
    const r4 = diskRes('10', { role: 'role', path: 'path2' });
    const r5 = diskRes('10', { role: 'role', id: '1', path: 'path1' });
    const r6 = diskRes('10', { role: 'role', id: '1', path: 'path2' });
    const r7 = diskRes('10', { role: 'role', id: '2', path: 'path2' });
    expect(eq(r1, r2)).to.equal(false); // a disk info (even volume-only) is part of identity
    expect(eq(r2, r3)).to.equal(true);
    expect(eq(r5, r6)).to.equal(true);
    expect(eq(r6, r7)).to.equal(false);
    expect(eq(r4, r7)).to.equal(false);
  });

  it('DiskResourcesTest.DiskSourceEquals: sources compare by type and root', () => {
    const s1 = pathSource('mnt');
    const s2 = pathSource('mnt2');
    const s3 = mountSource('mnt');
    expect(eq(diskRes('10', { source: s1 }), diskRes('10', { path: 'p', source: s1 }))).to.equal(
      true,
    );
    expect(eq(diskRes('10', { source: s1 }), diskRes('10', { source: s2 }))).to.equal(false);
    expect(eq(diskRes('10', { source: s1 }), diskRes('10', { source: s3 }))).to.equal(false);
    expect(eq(diskRes('10', { source: s3 }), diskRes('10', { source: s3 }))).to.equal(true);
  });

  it('DiskResourcesTest.Addition: plain disks merge, persistent volumes never do', () => {
    const r1 = diskRes('10', { role: 'role', path: 'path' });
    expect(eq(r1.add(r1), diskRes('20', { role: 'role', path: 'path' }))).to.equal(true);
    expect(
      eq(r1.add(diskRes('10', { role: 'role' })), diskRes('20', { role: 'role', path: 'path' })),
    ).to.equal(false);
    const v1 = diskRes('10', { role: 'role', id: '1', path: 'path' });
    const v2 = diskRes('10', { role: 'role', id: '2', path: 'path' });
    const sum = v1.add(v2);
    expect(sum.contains(v1) && sum.contains(v2)).to.equal(true);
    expect(sum.contains(diskRes('20', { role: 'role', path: 'path' }))).to.equal(false);
    expect(sum.contains(diskRes('20', { role: 'role', id: '1', path: 'path' }))).to.equal(false);
    // The same volume added twice is held twice, not merged into a 20 MB volume.
    expect(v1.add(v1).size).to.equal(2);
  });

  it('DiskResourcesTest.DiskSourceAddition: PATH disks merge, MOUNT disks do not', () => {
    const p10 = diskRes('10', { role: 'role', source: pathSource('mnt') });
    const p20 = diskRes('20', { role: 'role', source: pathSource('mnt') });
    expect(eq(p10.add(p10), p20)).to.equal(true);
    expect(p20.contains(p10)).to.equal(true);
    expect(eq(p10.add(diskRes('10', { role: 'role', source: pathSource('mnt2') })), p20)).to.equal(
      false,
    );
    const m10 = diskRes('10', { role: 'role', source: mountSource('mnt') });
    const m20 = diskRes('20', { role: 'role', source: mountSource('mnt') });
    expect(eq(m10.add(m10), m20)).to.equal(false);
    expect(m20.contains(m10)).to.equal(false);
    expect(m20.contains(m20)).to.equal(true);
  });

  it('DiskResourcesTest.Subtraction: volumes subtract only when equal', () => {
    const r1 = diskRes('10', { role: 'role', path: 'path' });
    const r2 = diskRes('10', { role: 'role' });
    expect(r1.subtract(r1).isEmpty()).to.equal(true);
    expect(r2.subtract(r2).isEmpty()).to.equal(true);
    expect(r1.subtract(r2).isEmpty()).to.equal(false);
    const v3 = diskRes('10', { role: 'role', id: '1', path: 'path' });
    const v4 = diskRes('10', { role: 'role', id: '2', path: 'path' });
    const v5 = diskRes('10', { role: 'role', id: '2', path: 'path2' });
    expect(eq(v3.subtract(v4), v3)).to.equal(true);
    expect(v3.subtract(v3).isEmpty()).to.equal(true);
    expect(v4.subtract(v5).isEmpty()).to.equal(true); // volume paths do not count
  });

  it('DiskResourcesTest.DiskSourceSubtraction: a MOUNT disk is removed whole or not at all', () => {
    const p10 = diskRes('10', { role: 'role', source: pathSource('mnt') });
    const p20 = diskRes('20', { role: 'role', source: pathSource('mnt') });
    expect(p20.subtract(p10).subtract(p10).isEmpty()).to.equal(true);
    expect(eq(p20.subtract(p10), p10)).to.equal(true);
    const m10 = diskRes('10', { role: 'role', source: mountSource('mnt') });
    const m20 = diskRes('20', { role: 'role', source: mountSource('mnt') });
    expect(m10.subtract(m10).isEmpty()).to.equal(true);
    expect(eq(m20.subtract(m10), m20)).to.equal(true);
    expect(eq(m10.subtract(p10), m10)).to.equal(true);
  });

  it('DiskResourcesTest.Contains/SourceContains: a volume contains only itself', () => {
    const v1 = diskRes('10', { role: 'role', id: '1', path: 'path' });
    expect(v1.contains(v1.add(v1))).to.equal(false);
    expect(v1.add(v1).contains(v1.add(v1))).to.equal(true);
    const v3 = diskRes('20', { role: 'role', id: '2', path: 'path' });
    expect(v1.add(v3).contains(v1) && v1.add(v3).contains(v3)).to.equal(true);
    const pv20 = diskRes('20', { role: 'role', id: '1', path: 'path', source: pathSource('mnt') });
    const pv10 = diskRes('10', { role: 'role', id: '1', path: 'path', source: pathSource('mnt') });
    expect(pv20.contains(pv10)).to.equal(false);
    expect(
      diskRes('20', { role: 'role', source: pathSource('mnt') }).contains(
        diskRes('10', { role: 'role', source: pathSource('mnt') }).add(
          diskRes('10', { role: 'role', source: pathSource('mnt') }),
        ),
      ),
    ).to.equal(true);
  });

  it('holds two identical MOUNT disks as two, and does not let one contain both', () => {
    const m = diskRes('10', { role: 'role', source: mountSource('mnt') });
    expect(m.add(m).size).to.equal(2);
    expect(m.contains(m.add(m))).to.equal(false);
    expect(m.add(m).subtract(m).equals(m)).to.equal(true);
  });

  describe('addable/subtractable by disk source', () => {
    const cases: {
      name: string;
      make: () => ReturnType<ReturnType<typeof build>['obj']>;
      add: boolean;
    }[] = [
      { name: 'ROOT', make: () => build('disk', '5').obj(), add: true },
      { name: 'PATH', make: () => build('disk', '5').source(pathSource('/p')).obj(), add: true },
      { name: 'MOUNT', make: () => build('disk', '5').source(mountSource('/m')).obj(), add: false },
      {
        name: 'BLOCK',
        make: () => build('disk', '5').source({ type: 'BLOCK', id: 'b' }).obj(),
        add: false,
      },
      {
        name: 'RAW with an id',
        make: () => build('disk', '5').source({ type: 'RAW', id: 'r' }).obj(),
        add: false,
      },
      {
        name: 'RAW pool without an id',
        make: () => build('disk', '5').source({ type: 'RAW', profile: 'fast' }).obj(),
        add: true,
      },
      {
        name: 'a persistent volume',
        make: () => build('disk', '5').role('r').volume('v').obj(),
        add: false,
      },
    ];
    for (const tc of cases) {
      it(`${tc.name}: addable ${tc.add}, always subtractable from itself`, () => {
        expect(addable(tc.make(), tc.make())).to.equal(tc.add);
        expect(subtractable(tc.make(), tc.make())).to.equal(true);
      });
    }
  });

  it('DiskResourcesTest.FilterPersistentVolumes: keeps volumes only', () => {
    const v = diskRes('10', { role: 'role', id: '1', path: 'path' });
    const all = res('cpus:1;disk(role):5').add(v);
    expect(all.persistentVolumes().equals(v)).to.equal(true);
  });

  it('DiskResourcesTest.Validation: disk info and sharing only where Mesos allows them', () => {
    expect(() => build('cpus', '1').volume('v').obj()).to.throw(
      RangeError,
      /DiskInfo should not be set/,
    );
    expect(() => build('cpus', '1').shared().obj()).to.throw(RangeError, /cannot be shared/);
    expect(() => build('disk', '1').shared().obj()).to.throw(RangeError, /Only persistent volumes/);
    expect(() => build('disk', '1').source({ type: 'BLOCK', root: '/x' }).obj()).to.throw(
      RangeError,
      /Root should not be set/,
    );
  });
});

describe('shared resources', () => {
  const disk = () => diskRes('50', { role: 'role1', id: '1', path: 'path', shared: true });
  const volume = () => [...disk()][0]!;

  it('SharedResourcesTest.ScalarAdditionShared: copies of a shared volume are counted', () => {
    const r1 = res('cpus:1;mem:5').add(disk());
    const r2 = res('cpus:2;mem:10').add(disk());
    const sum = r1.add(r2);
    expect(sum.size).to.equal(3);
    expect(sum.toString()).to.equal(
      'cpus:3; disk(reservations: [(STATIC,role1)])[1:path]<SHARED>:50<2>; mem:15',
    );
    expect(sum.count(volume())).to.equal(2);
    expect(sum.toQuantities().get('disk')).to.equal(50_000n); // counted once in quantities
  });

  it('SharedResourcesTest.ScalarSubtractionShared: subtraction removes copies', () => {
    const r1 = res('cpus:40;mem:4096').add(disk()).add(disk());
    const r2 = res('cpus:5;mem:512').add(disk());
    const diff = r1.subtract(r2);
    expect(diff.count(volume())).to.equal(1);
    expect(diff.contains(volume())).to.equal(true);
    expect(r1.subtract(r2).subtract(r2).count(volume())).to.equal(0);
    expect(r2.subtract(r1).contains(volume())).to.equal(false);
  });

  it('SharedResourcesTest.ScalarSharedCompoundExpressions: counts behave like integers', () => {
    const base = res('cpus:2;mem:10');
    const r1 = base.add(disk()).add(disk()).add(disk()).add(disk());
    const r2 = base.add(disk()).add(disk()).add(disk());
    expect(r1.add(r1).subtract(r1).equals(r1)).to.equal(true);
    expect(r1.add(r2).subtract(r1).equals(r2)).to.equal(true);
    expect(r2.subtract(r1).add(r1).equals(r1)).to.equal(true);
    expect(r1.subtract(r2).add(r2).equals(r1)).to.equal(true);
    expect(r2.subtract(r1).isEmpty()).to.equal(true);
    expect(r1.subtract(r2).isEmpty()).to.equal(false);
  });

  it('SharedResourcesTest.ScalarNonEqualSharedOperations: different shared volumes never cancel', () => {
    const d1 = diskRes('50', { role: 'role1', id: '1', path: 'path1', shared: true });
    const d2 = diskRes('100', { role: 'role1', id: '2', path: 'path2', shared: true });
    expect(d1.add(d2).subtract(d1).equals(d2)).to.equal(true);
    expect(d1.subtract(d2).equals(d1)).to.equal(true);
  });

  it('SharedResourcesTest.ScalarSharedAndNonSharedOperations: sharedness must match', () => {
    const shared = diskRes('100', { role: 'role1', id: '1', path: 'path', shared: true });
    const plain = diskRes('100', { role: 'role1', id: '1', path: 'path' });
    expect(res('cpus:1').add(shared).contains(res('cpus:1').add(plain))).to.equal(false);
    expect(res('cpus:1').add(plain).contains(res('cpus:1').add(shared))).to.equal(false);
    const r3 = shared.add(shared).add(plain);
    expect(r3.size).to.equal(2);
    expect(r3.scalar('disk')).to.equal(200_000n);
    expect(plain.subtract(shared).equals(plain)).to.equal(true);
  });

  it('SharedResourcesTest.Filter: shared() and nonShared() split them', () => {
    const all = res('cpus:1').add(disk());
    expect(all.shared().equals(disk())).to.equal(true);
    expect(all.nonShared().equals(res('cpus:1'))).to.equal(true);
  });
});
