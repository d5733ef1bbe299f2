import { expect } from 'chai';
import type { Resource } from '../../../../../core/resources/index.ts';
import { Resources } from '../../../../../core/resources/index.ts';
import type { OfferOperation } from '../../../../../core/types/index.ts';
import type { AcceptOptions } from './builders.ts';
import {
  ALL_AGENT_CAPS,
  CREATE,
  DESTROY,
  GROW,
  SHRINK,
  accept,
  disk,
  dynamicRes,
  opResult,
  volume,
} from './builders.ts';

type Row = readonly [string, Resources, OfferOperation, RegExp | undefined, AcceptOptions?];

const of = (...rs: Resource[]): Resources => Resources.from(rs);
const v1 = volume('128', { id: 'id1' });
const known = (...vs: Resource[]): AcceptOptions => ({
  agent: { volumes: vs.map((resource, i) => ({ name: `vol-${i}`, resource })) },
});
const noResize: AcceptOptions = {
  agent: { capabilities: ALL_AGENT_CAPS.filter(c => c !== 'RESIZE_VOLUME') },
};
const mount = { type: 'MOUNT', root: '/mnt/1' } as const;

const createRows: Row[] = [
  ['CreateOperationValidationTest.PersistentVolumes', of(disk('128')), CREATE(v1), undefined],
  [
    'ResourceValidationTest.UnreservedDiskInfo (a volume on unreserved disk)',
    of(disk('128', { stack: [] })),
    CREATE(volume('128', { id: 'id1', stack: [] })),
    /Persistent volumes cannot be created from unreserved resources/,
  ],
  [
    'ResourceValidationTest.PersistentVolumeWithoutVolumeInfo',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', path: null })),
    /Expecting 'volume' to be set for persistent volume/,
  ],
  [
    'ResourceValidationTest.InvalidPersistenceID',
    of(disk('128')),
    CREATE(volume('128', { id: 'a/b' })),
    /Invalid persistence ID for persistent volume/,
  ],
  [
    'ResourceValidationTest.RevocablePersistentVolume',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', revocable: true })),
    /cannot be created from revocable resources/,
  ],
  [
    'CreateOperationValidationTest.DuplicatedPersistenceID (against the agent)',
    of(disk('128')),
    CREATE(v1),
    /Persistence ID 'id1' is not unique/,
    known(volume('64', { id: 'id1' })),
  ],
  [
    'CreateOperationValidationTest.DuplicatedPersistenceID (within the operation)',
    of(disk('128')),
    CREATE(of(volume('64', { id: 'id1' }), volume('64', { id: 'id1', path: 'other' }))),
    /Persistence ID 'id1' is not unique/,
  ],
  [
    'persistence ids are unique per role: the same id under another role is fine',
    of(disk('128')),
    CREATE(v1),
    undefined,
    known(volume('64', { id: 'id1', stack: [dynamicRes('other', 'principal')] })),
  ],
  [
    'CreateOperationValidationTest.NonMatchingPrincipal',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', principal: 'other' })),
    /authenticated principal 'principal', which does not match a volume .* principal 'other'/,
  ],
  [
    'CreateOperationValidationTest.NonMatchingPrincipal (no principal on the volume)',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', principal: null })),
    /no principal set in 'disk.persistence'/,
  ],
  [
    'CreateOperationValidationTest.ReadOnlyPersistentVolume',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', mode: 'RO' })),
    /Read-only persistent volume not supported/,
  ],
  [
    'CreateOperationValidationTest.SharedVolumeBasedOnCapability (without SHARED_RESOURCES)',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', shared: true })),
    /with no SHARED_RESOURCES capability/,
    { framework: { capabilities: [] } },
  ],
  [
    'CreateOperationValidationTest.SharedVolumeBasedOnCapability (with SHARED_RESOURCES)',
    of(disk('128')),
    CREATE(volume('128', { id: 'id1', shared: true })),
    undefined,
  ],
  [
    'CreateOperationValidationTest.InsufficientDiskResource',
    of(disk('64')),
    CREATE(v1),
    /does not contain/,
  ],
  [
    'CreateOperationValidationTest.AgentHierarchicalRoleCapability',
    of(disk('128', { stack: [dynamicRes('a/b', 'principal')] })),
    CREATE(volume('128', { id: 'id1', stack: [dynamicRes('a/b', 'principal')] })),
    /cannot be created on an agent without HIERARCHICAL_ROLE capability/,
    { role: 'a/b', agent: { capabilities: ['RESIZE_VOLUME'] } },
  ],
  [
    'CreateOperationValidationTest.MultipleResourceProviders',
    of(disk('256')),
    CREATE(of(v1, volume('128', { id: 'id2', providerId: 'rp' }))),
    /Some resources have a resource provider and some do not/,
  ],
];

const destroyRows: Row[] = [
  ['DestroyOperationValidationTest.PersistentVolumes', of(v1), DESTROY(v1), undefined, known(v1)],
  [
    'DestroyOperationValidationTest.UnknownPersistentVolume',
    of(v1),
    DESTROY(v1),
    /Persistent volumes not found/,
  ],
  [
    'DestroyOperationValidationTest.SharedPersistentVolumeInUse',
    of(volume('128', { id: 's1', shared: true })),
    DESTROY(volume('128', { id: 's1', shared: true })),
    /Persistent volumes in use: .* by task fw-ns\/t1/,
    {
      agent: {
        volumes: [{ name: 'vol-s1', resource: volume('128', { id: 's1', shared: true }) }],
        tasks: [{ name: 'fw-ns/t1', resources: of(volume('128', { id: 's1', shared: true })) }],
      },
    },
  ],
  [
    'DESTROY of a plain disk',
    of(disk('128')),
    DESTROY(disk('128')),
    /Not a persistent volume: .* does not have DiskInfo/,
  ],
];

const growRows: Row[] = [
  [
    'GrowVolumeOperationValidationTest.Valid',
    of(v1, disk('64')),
    GROW(v1, disk('64')),
    undefined,
    known(v1),
  ],
  [
    'GrowVolumeOperationValidationTest.NonPersistentVolume',
    of(disk('128'), disk('64', { source: { type: 'PATH', root: '/p' } })),
    GROW(disk('128'), disk('64')),
    /Invalid persistent volume in the 'GrowVolume.volume' field/,
  ],
  [
    'GrowVolumeOperationValidationTest.ZeroAddition',
    of(v1),
    GROW(v1, disk('0')),
    /The size of 'GrowVolume.addition' field must be greater than zero/,
  ],
  [
    'GrowVolumeOperationValidationTest.IncompatibleDisk',
    of(v1, disk('64', { source: { type: 'PATH', root: '/p' } })),
    GROW(v1, disk('64', { source: { type: 'PATH', root: '/p' } })),
    /Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields/,
  ],
  [
    'GrowVolumeOperationValidationTest.Shared',
    of(volume('128', { id: 's', shared: true }), disk('64')),
    GROW(volume('128', { id: 's', shared: true }), disk('64')),
    /Growing a shared persistent volume is not supported/,
  ],
  [
    'GrowVolumeOperationValidationTest.ResourceProvider',
    of(disk('64')),
    GROW(volume('128', { id: 'id1', providerId: 'rp' }), disk('64')),
    /Growing a volume from a resource provider is not supported/,
  ],
  [
    'GrowVolumeOperationValidationTest.Mount',
    of(volume('128', { id: 'm', source: mount }), disk('64', { source: mount })),
    GROW(volume('128', { id: 'm', source: mount }), disk('64', { source: mount })),
    /Incompatible resources/,
  ],
  [
    'GrowVolumeOperationValidationTest.MissingCapability',
    of(v1, disk('64')),
    GROW(v1, disk('64')),
    /cannot be grown on an agent without RESIZE_VOLUME capability/,
    noResize,
  ],
  [
    'GROW_VOLUME beyond the offer',
    of(v1, disk('32')),
    GROW(v1, disk('64')),
    /Invalid GROW_VOLUME operation: .* does not contain/,
  ],
];

const shrinkRows: Row[] = [
  ['ShrinkVolumeOperationValidationTest.Valid', of(v1), SHRINK(v1, 64), undefined, known(v1)],
  [
    'ShrinkVolumeOperationValidationTest.NonPersistentVolume',
    of(disk('128')),
    SHRINK(disk('128'), 64),
    /Invalid persistent volume in the 'ShrinkVolume.volume' field/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.ZeroSubtract',
    of(v1),
    SHRINK(v1, 0),
    /must be greater than zero/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.EmptyAfterShrink',
    of(v1),
    SHRINK(v1, 128),
    /must be smaller than the size of 'ShrinkVolume.volume'/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.Mount',
    of(volume('128', { id: 'm', source: mount })),
    SHRINK(volume('128', { id: 'm', source: mount }), 64),
    /Shrinking a volume on a MOUNT disk is not supported/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.Shared',
    of(volume('128', { id: 's', shared: true })),
    SHRINK(volume('128', { id: 's', shared: true }), 64),
    /Shrinking a shared persistent volume is not supported/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.ResourceProvider',
    of(volume('128', { id: 'id1', providerId: 'rp' })),
    SHRINK(volume('128', { id: 'id1', providerId: 'rp' }), 64),
    /Shrinking a volume from a resource provider is not supported/,
  ],
  [
    'ShrinkVolumeOperationValidationTest.MissingCapability',
    of(v1),
    SHRINK(v1, 64),
    /cannot be shrunk on an agent without RESIZE_VOLUME capability/,
    noResize,
  ],
];

describe('offer engine: CREATE, DESTROY, GROW and SHRINK validation (Mesos master_validation_tests.cpp)', () => {
  for (const [name, offered, op, error, opts] of [
    ...createRows,
    ...destroyRows,
    ...growRows,
    ...shrinkRows,
  ]) {
    it(`${name}: ${error === undefined ? 'applies' : `drops it (${error.source})`}`, () => {
      const plan = accept(offered, [op], opts);
      const result = opResult(plan, 0);
      if (error === undefined) {
        expect(result.state, result.message).to.equal('OPERATION_PENDING');
        return;
      }
      expect(result.state).to.equal('OPERATION_ERROR');
      expect(result.message).to.match(error);
      expect(plan.changes).to.deep.equal([]);
      expect(plan.declined.equals(offered)).to.equal(true);
    });
  }
});
