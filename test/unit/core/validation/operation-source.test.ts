import { expect } from 'chai';
import type { OperationSpec, ResourceItem } from '../../../../core/types/index.ts';
import { validateOperation } from '../../../../core/validation/index.ts';

const stack = (...roles: string[]) => roles.map(role => ({ type: 'DYNAMIC' as const, role }));
const disk = (scalar: number, roles: string[]): ResourceItem => ({
  name: 'disk',
  scalar,
  reservations: stack(...roles),
});
const vol = (roles: string[], id = 'pg'): ResourceItem => ({
  ...disk(128, roles),
  disk: { persistence: { id }, volume: { containerPath: 'data' } },
});
const update = (
  source: ResourceItem[],
  resources: ResourceItem[],
  framework?: string,
): OperationSpec => ({
  type: 'RESERVE',
  agent: 'node-1',
  reserve: { source, resources },
  ...(framework === undefined ? {} : { framework }),
});

describe('validateOperation: a RESERVE with a source (Mesos 1.10 reservation update)', () => {
  const cases: [string, OperationSpec, string[]][] = [
    [
      'moving a reservation and its volume to another role',
      update([disk(256, ['db']), vol(['db'])], [disk(256, ['bi']), vol(['bi'])]),
      [],
    ],
    ['refining a reservation onto a child role', update([vol(['db'])], [vol(['db', 'db/pg'])]), []],
    [
      'reserving unreserved resources with the unreserved source given (MasterAPITest step 2)',
      update(
        [{ name: 'cpus', scalar: 1 }],
        [{ name: 'cpus', scalar: 1, reservations: stack('db') }],
      ),
      [],
    ],
    [
      'a source from a framework (the scheduler API has no reservation updates)',
      update([vol(['db'])], [vol(['bi'])], 'fw'),
      ['spec.reserve.source'],
    ],
    ['an empty source', update([], [vol(['bi'])]), ['spec.reserve.source']],
    [
      'a source of mixed reservations',
      update([disk(256, ['db']), vol(['other'])], [disk(256, ['bi']), vol(['bi'])]),
      ['spec.reserve.source'],
    ],
    [
      'a target of mixed reservations',
      update([disk(256, ['db']), vol(['db'])], [disk(256, ['bi']), vol(['other'])]),
      ['spec.reserve.resources'],
    ],
    [
      'different quantities',
      update([disk(256, ['db'])], [disk(512, ['bi'])]),
      ['spec.reserve.source'],
    ],
    [
      'a volume that is another volume in the target',
      update([vol(['db'], 'pg')], [vol(['bi'], 'other')]),
      ['spec.reserve.source'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`${want.length === 0 ? 'accepts' : 'refuses'} ${name}`, () => {
      const causes = validateOperation(spec);
      expect(
        causes.map(c => c.field),
        JSON.stringify(causes),
      ).to.deep.equal(want);
    });
  }

  it('says why in Mesos’s words', () => {
    const [mixed] = validateOperation(
      update([disk(256, ['db']), vol(['other'])], [disk(256, ['bi']), vol(['bi'])]),
    );
    expect(mixed?.message).to.match(/Mixed reservations are not supported/);
    const [apart] = validateOperation(update([disk(256, ['db'])], [disk(512, ['bi'])]));
    expect(apart?.message).to.match(
      /Source and target resources should refer to identical resource quantities/,
    );
    const [fw] = validateOperation(update([vol(['db'])], [vol(['bi'])], 'fw'));
    expect(fw?.message).to.match(/not yet implemented for the scheduler API/);
  });
});
