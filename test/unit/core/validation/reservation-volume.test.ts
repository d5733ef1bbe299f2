import { expect } from 'chai';
import type { ReservationSpec, VolumeSpec } from '../../../../core/types/index.ts';
import { validateReservation, validateVolume } from '../../../../core/validation/index.ts';

const eng = [{ type: 'DYNAMIC' as const, role: 'eng', principal: 'ops' }];

describe('validateReservation', () => {
  const base: ReservationSpec = {
    agent: 'node-1',
    role: 'eng',
    resources: [{ name: 'cpus', scalar: 4, reservations: eng }],
  };
  const fields = (over: Partial<ReservationSpec>): (string | undefined)[] =>
    validateReservation({ ...base, ...over }).map(c => c.field);

  it('accepts resources dynamically reserved for its role, refinements included', () => {
    expect(fields({})).to.deep.equal([]);
    const refined = [
      { type: 'STATIC' as const, role: 'eng' },
      { type: 'DYNAMIC' as const, role: 'eng/ml' },
    ];
    expect(
      fields({ role: 'eng/ml', resources: [{ name: 'cpus', scalar: 1, reservations: refined }] }),
    ).to.deep.equal([]);
  });

  it('rejects unreserved, static, foreign, revocable and persistent resources', () => {
    expect(fields({ resources: [{ name: 'cpus', scalar: 1 }] })).to.deep.equal([
      'spec.resources[0].reservations',
    ]);
    expect(
      fields({
        resources: [{ name: 'cpus', scalar: 1, reservations: [{ type: 'STATIC', role: 'eng' }] }],
      }),
    ).to.deep.equal(['spec.resources[0].reservations[0].type']);
    expect(fields({ role: 'ops' })).to.deep.equal(['spec.resources[0].reservations[0].role']);
    expect(
      fields({ resources: [{ name: 'cpus', scalar: 1, reservations: eng, revocable: true }] }),
    ).to.deep.equal(['spec.resources[0].revocable']);
    const pv = { name: 'disk', scalar: 1, reservations: eng, disk: { persistence: { id: 'v' } } };
    expect(fields({ resources: [pv] })).to.deep.equal(['spec.resources[0].disk.persistence']);
  });
});

describe('validateVolume', () => {
  const base: VolumeSpec = {
    agent: 'node-1',
    role: 'eng',
    resource: {
      name: 'disk',
      scalar: '10Gi',
      reservations: eng,
      disk: { persistence: { id: 'v1' }, volume: { containerPath: 'data', mode: 'RW' } },
    },
  };
  // fields merges a change into the base volume; an undefined in the change removes the field.
  const fields = (change: Record<string, unknown>, role = 'eng'): (string | undefined)[] => {
    const resource = JSON.parse(
      JSON.stringify({ ...base.resource, ...change }),
    ) as VolumeSpec['resource'];
    return validateVolume({ ...base, role, resource }).map(c => c.field);
  };

  it('accepts a reserved persistent volume, static reservations included', () => {
    expect(fields({})).to.deep.equal([]);
    expect(fields({ reservations: [{ type: 'STATIC', role: 'eng' }] })).to.deep.equal([]);
  });

  it('rejects what Mesos CREATE rejects', () => {
    expect(fields({ reservations: [] })).to.deep.equal(['spec.resource.reservations']);
    expect(fields({}, 'ops')).to.deep.equal(['spec.resource.reservations[0].role']);
    expect(fields({ name: 'mem', disk: undefined })).to.include('spec.resource.name');
    expect(fields({ disk: { volume: { containerPath: 'd' } } })).to.deep.equal([
      'spec.resource.disk.persistence',
    ]);
    expect(fields({ disk: { persistence: { id: 'v' } } })).to.deep.equal([
      'spec.resource.disk.volume',
    ]);
    expect(
      fields({ disk: { persistence: { id: 'v' }, volume: { containerPath: 'd', mode: 'RO' } } }),
    ).to.deep.equal(['spec.resource.disk.volume.mode']);
    expect(fields({ revocable: true })).to.deep.equal(['spec.resource.revocable']);
    expect(fields({ scalar: undefined, ranges: '1-2' })).to.include('spec.resource.scalar');
    const onRaw = {
      persistence: { id: 'v' },
      volume: { containerPath: 'd' },
      source: { type: 'RAW' as const },
    };
    expect(fields({ disk: onRaw })).to.deep.equal(['spec.resource.disk.source.type']);
  });
});
