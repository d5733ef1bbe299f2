import { expect } from 'chai';
import { Resources, formatResource, makeLabels } from '../../../../core/resources/index.ts';
import type { Resource } from '../../../../core/resources/index.ts';
import { build, dynamicRes, mountSource, pathSource, res } from './builders.ts';

describe('printing', () => {
  it('ResourcesTest.Printing: `; `-separated, Mesos value forms', () => {
    const r = res('cpus:45.55;ports:[10000-20000, 30000-50000];disks:{sda1}');
    expect(r.toString()).to.equal('cpus:45.55; disks:{sda1}; ports:[10000-20000, 30000-50000]');
    expect(Resources.EMPTY.toString()).to.equal('{}');
  });

  describe('ResourcesTest.PrintingExtendedAttributes', () => {
    const alice = () => build('disk', '1').role('alice');
    const labels = makeLabels({ foo: 'bar' });
    const cases: [string, () => Resource, string][] = [
      ['standard', () => build('disk', '1').obj(), 'disk:1'],
      ['statically reserved', () => alice().obj(), 'disk(reservations: [(STATIC,alice)]):1'],
      [
        'allocated',
        () => alice().allocatedTo('role').obj(),
        'disk(allocated: role)(reservations: [(STATIC,alice)]):1',
      ],
      ['revocable', () => alice().revocable().obj(), 'disk(reservations: [(STATIC,alice)]){REV}:1'],
      [
        'persistent volume',
        () => alice().volume('hadoop', '/data').obj(),
        'disk(reservations: [(STATIC,alice)])[hadoop:/data]:1',
      ],
      [
        'revocable after disk',
        () => alice().volume('hadoop', '/data').revocable().obj(),
        'disk(reservations: [(STATIC,alice)])[hadoop:/data]{REV}:1',
      ],
      [
        'MOUNT source',
        () => alice().volume('hadoop', '/data').source(mountSource('/mnt1')).obj(),
        'disk(reservations: [(STATIC,alice)])[MOUNT:/mnt1,hadoop:/data]:1',
      ],
      [
        'PATH source',
        () => alice().volume('hadoop', '/data').source(pathSource('/mnt2')).obj(),
        'disk(reservations: [(STATIC,alice)])[PATH:/mnt2,hadoop:/data]:1',
      ],
      [
        'CSI source',
        () => build('disk', '1').source({ type: 'RAW', vendor: 'v', id: 'i', profile: 'p' }).obj(),
        'disk[RAW(v,i,p)]:1',
      ],
      [
        'refined dynamic reservation',
        () =>
          alice().reserve(dynamicRes('alice/refined', 'hdfs-p')).volume('hadoop', '/data').obj(),
        'disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p)])[hadoop:/data]:1',
      ],
      [
        'labels',
        () =>
          alice()
            .reserve({
              ...dynamicRes('alice/refined', 'hdfs-p'),
              ...(labels === undefined ? {} : { labels }),
            })
            .volume('hadoop', '/data')
            .obj(),
        'disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p,{foo: bar})])[hadoop:/data]:1',
      ],
      ['resource provider', () => build('disk', '1').provider('rp1').obj(), 'disk@rp1:1'],
    ];
    for (const [name, make, want] of cases) {
      it(name, () => expect(formatResource(make())).to.equal(want));
    }
  });

  it('SharedResourcesTest.Printing: the copy count follows the value', () => {
    const volume = build('disk', '64')
      .role('role1')
      .volume('id1', 'path1', 'principal1')
      .shared()
      .all();
    expect(volume.toString()).to.equal(
      'disk(reservations: [(STATIC,role1)])[id1:path1]<SHARED>:64<1>',
    );
    expect(volume.add(volume).toString()).to.equal(
      'disk(reservations: [(STATIC,role1)])[id1:path1]<SHARED>:64<2>',
    );
  });
});
