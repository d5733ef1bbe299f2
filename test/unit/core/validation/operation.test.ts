import { expect } from 'chai';
import type { OperationSpec, ResourceItem } from '../../../../core/types/index.ts';
import { validateOperation } from '../../../../core/validation/index.ts';

const eng = [{ type: 'DYNAMIC' as const, role: 'eng' }];
const volume = (over: Partial<ResourceItem> = {}): ResourceItem => ({
  name: 'disk',
  scalar: 1024,
  reservations: eng,
  disk: { persistence: { id: 'v1' }, volume: { containerPath: 'data' } },
  ...over,
});
const raw: ResourceItem = {
  name: 'disk',
  scalar: '100Gi',
  providerId: 'rp-1',
  disk: { source: { type: 'RAW', profile: 'fast' } },
};
const op = (spec: Omit<OperationSpec, 'agent'>): OperationSpec => ({ agent: 'node-1', ...spec });
const fields = (spec: OperationSpec): (string | undefined)[] =>
  validateOperation(spec).map(c => c.field);

describe('validateOperation', () => {
  const cases: [string, OperationSpec, string[]][] = [
    [
      'a RESERVE pushing a DYNAMIC reservation',
      op({
        type: 'RESERVE',
        reserve: { resources: [{ name: 'cpus', scalar: 1, reservations: eng }] },
      }),
      [],
    ],
    [
      'a RESERVE of unreserved resources',
      op({ type: 'RESERVE', reserve: { resources: [{ name: 'cpus', scalar: 1 }] } }),
      ['spec.reserve.resources[0].reservations'],
    ],
    [
      'a RESERVE of revocable resources',
      op({
        type: 'RESERVE',
        reserve: { resources: [{ name: 'cpus', scalar: 1, reservations: eng, revocable: true }] },
      }),
      ['spec.reserve.resources[0].revocable'],
    ],
    [
      'a RESERVE carrying an UNRESERVE too',
      op({
        type: 'RESERVE',
        reserve: { resources: [{ name: 'cpus', scalar: 1, reservations: eng }] },
        unreserve: { resources: [] },
      }),
      ['spec.unreserve'],
    ],
    [
      'an UNRESERVE of a persistent volume',
      op({ type: 'UNRESERVE', unreserve: { resources: [volume()] } }),
      ['spec.unreserve.resources[0].disk.persistence'],
    ],
    ['a CREATE of a reserved volume', op({ type: 'CREATE', create: { volumes: [volume()] } }), []],
    [
      'a CREATE on unreserved disk',
      op({ type: 'CREATE', create: { volumes: [volume({ reservations: [] })] } }),
      ['spec.create.volumes[0].reservations'],
    ],
    [
      'a read-only CREATE',
      op({
        type: 'CREATE',
        create: {
          volumes: [
            volume({
              disk: { persistence: { id: 'v' }, volume: { containerPath: 'd', mode: 'RO' } },
            }),
          ],
        },
      }),
      ['spec.create.volumes[0].disk.volume.mode'],
    ],
    [
      'a DESTROY of a plain disk',
      op({ type: 'DESTROY', destroy: { volumes: [{ name: 'disk', scalar: 1 }] } }),
      ['spec.destroy.volumes[0].disk.persistence'],
    ],
    [
      'a GROW of a volume',
      op({
        type: 'GROW_VOLUME',
        growVolume: {
          volume: volume(),
          addition: { name: 'disk', scalar: 512, reservations: eng },
        },
      }),
      [],
    ],
    [
      'a GROW by nothing',
      op({
        type: 'GROW_VOLUME',
        growVolume: { volume: volume(), addition: { name: 'disk', scalar: 0 } },
      }),
      ['spec.growVolume.addition.scalar'],
    ],
    [
      'a GROW of a shared volume',
      op({
        type: 'GROW_VOLUME',
        growVolume: { volume: volume({ shared: true }), addition: { name: 'disk', scalar: 1 } },
      }),
      ['spec.growVolume.volume.shared'],
    ],
    [
      'a SHRINK of a MOUNT volume',
      op({
        type: 'SHRINK_VOLUME',
        shrinkVolume: {
          volume: volume({
            disk: {
              persistence: { id: 'v' },
              volume: { containerPath: 'd' },
              source: { type: 'MOUNT', root: '/mnt' },
            },
          }),
          subtract: 1,
        },
      }),
      ['spec.shrinkVolume.volume.disk.source.type'],
    ],
    [
      'a SHRINK by the whole size',
      op({ type: 'SHRINK_VOLUME', shrinkVolume: { volume: volume(), subtract: '1Gi' } }),
      ['spec.shrinkVolume.subtract'],
    ],
    [
      'a CREATE_DISK of a profiled RAW disk',
      op({ type: 'CREATE_DISK', createDisk: { source: raw, targetType: 'MOUNT' } }),
      [],
    ],
    [
      'a CREATE_DISK naming a second profile',
      op({
        type: 'CREATE_DISK',
        createDisk: { source: raw, targetType: 'MOUNT', targetProfile: 'slow' },
      }),
      ['spec.createDisk.targetProfile'],
    ],
    [
      'a CREATE_DISK of a disk no provider manages',
      op({
        type: 'CREATE_DISK',
        createDisk: {
          source: { name: 'disk', scalar: 1 },
          targetType: 'BLOCK',
          targetProfile: 'p',
        },
      }),
      ['spec.createDisk.source.providerId', 'spec.createDisk.source.disk.source.type'],
    ],
    [
      'a DESTROY_DISK of a CSI volume',
      op({
        type: 'DESTROY_DISK',
        destroyDisk: { source: { ...raw, disk: { source: { type: 'MOUNT', id: 'csi-1' } } } },
      }),
      [],
    ],
    [
      'a DESTROY_DISK of a storage pool',
      op({ type: 'DESTROY_DISK', destroyDisk: { source: raw } }),
      ['spec.destroyDisk.source.disk.source.id'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`${want.length === 0 ? 'accepts' : 'rejects'} ${name}`, () => {
      expect(fields(spec)).to.deep.equal(want);
    });
  }
});
