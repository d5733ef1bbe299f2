import { expect } from 'chai';
import type { OfferOperation, OfferSpec } from '../../../../core/types/index.ts';
import { validateOffer, validateOfferUpdate } from '../../../../core/validation/index.ts';

const launch = (name: string): OfferOperation => ({
  type: 'LAUNCH',
  launch: { tasks: [{ name, spec: { resources: { cpus: 1 }, image: 'redis:7' } }] },
});
const base = (over: Partial<OfferSpec> = {}): OfferSpec => ({
  framework: 'fw',
  agent: 'node-1',
  role: 'eng',
  resources: [{ name: 'cpus', scalar: 4, allocationRole: 'eng' }],
  ...over,
});
const answer = (operations: OfferOperation[]): OfferSpec =>
  base({ response: { accept: { operations } } });
const fields = (spec: OfferSpec): (string | undefined)[] => validateOffer(spec).map(c => c.field);

describe('validateOffer', () => {
  it('accepts an unanswered offer, a decline and an ordered accept', () => {
    expect(fields(base())).to.deep.equal([]);
    expect(
      fields(base({ response: { decline: { filters: { refuseSeconds: 60 } } } })),
    ).to.deep.equal([]);
    const reserve: OfferOperation = {
      type: 'RESERVE',
      id: 'reserve-1',
      reserve: {
        resources: [{ name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: 'eng' }] }],
      },
    };
    expect(fields(answer([reserve, launch('t1')]))).to.deep.equal([]);
  });

  it('takes exactly one of accept and decline', () => {
    const both = base({ response: { accept: { operations: [launch('t1')] }, decline: {} } });
    expect(fields(both)).to.deep.equal(['spec.response.decline']);
    expect(fields(base({ response: {} }))).to.deep.equal(['spec.response']);
  });

  it('rejects an operation id on a LAUNCH, as Mesos does', () => {
    const causes = validateOffer(answer([{ ...launch('t1'), id: 'x' }]));
    expect(causes.map(c => c.field)).to.deep.equal(['spec.response.accept.operations[0].id']);
  });

  it('wants the member the type names, and no other', () => {
    const op = { ...launch('t1'), type: 'LAUNCH_GROUP' } as OfferOperation;
    expect(fields(answer([op]))).to.deep.equal([
      'spec.response.accept.operations[0].launch',
      'spec.response.accept.operations[0].launchGroup',
    ]);
  });

  it('checks each task of a launch, and names each task once', () => {
    const bad: OfferOperation = {
      type: 'LAUNCH',
      launch: {
        tasks: [
          { name: 't1', spec: { resources: { cpus: 1 }, limits: { cpus: '500m' }, image: 'x' } },
        ],
      },
    };
    expect(fields(answer([bad]))).to.deep.equal([
      'spec.response.accept.operations[0].launch.tasks[0].spec.limits.cpus',
    ]);
    expect(fields(answer([launch('t1'), launch('t1')]))).to.deep.equal([
      'spec.response.accept.operations[1].launch.tasks[0].name',
    ]);
  });

  it('keeps one offer to one role', () => {
    const spec = base({ resources: [{ name: 'cpus', scalar: 1, allocationRole: 'ops' }] });
    expect(fields(spec)).to.deep.equal(['spec.resources[0].allocationRole']);
  });
});

describe('validateOfferUpdate', () => {
  it('lets the framework answer once, and nothing else change', () => {
    const answered = answer([launch('t1')]);
    expect(validateOfferUpdate(base(), answered)).to.deep.equal([]);
    expect(validateOfferUpdate(answered, answered)).to.deep.equal([]);
    const changed = base({ response: { decline: {} } });
    expect(validateOfferUpdate(answered, changed).map(c => c.field)).to.deep.equal([
      'spec.response',
    ]);
    expect(validateOfferUpdate(base(), base({ role: 'ops' })).map(c => c.field)).to.deep.equal([
      'spec.role',
    ]);
  });
});
