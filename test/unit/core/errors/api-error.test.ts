import { expect } from 'chai';
import { alreadyExists, conflict, invalid, notFound } from '../../../../core/errors/index.ts';

describe('ApiError', () => {
  it('renders NotFound the way kubectl prints it', () => {
    const s = notFound({ group: 'corral.dev', plural: 'offers', name: 'o1' }).toStatus();
    expect(s).to.include({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    expect(s.message).to.equal('offers.corral.dev "o1" not found');
    expect(s.details).to.deep.equal({ name: 'o1', group: 'corral.dev', kind: 'offers' });
  });

  it('uses 409 for both AlreadyExists and Conflict', () => {
    expect(alreadyExists({ group: '', plural: 'namespaces', name: 'a' }).code).to.equal(409);
    const c = conflict({ group: 'corral.dev', plural: 'tasks', name: 't' });
    expect(c.message).to.match(
      /^Operation cannot be fulfilled on tasks.corral.dev "t": the object/,
    );
  });

  it('lists every failing field of a 422 in the message and in causes', () => {
    const e = invalid({ kind: 'Quota', group: 'corral.dev', name: 'q' }, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.role' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: -1', field: 'spec.limits.cpus' },
    ]);
    expect(e.code).to.equal(422);
    expect(e.message).to.equal(
      'Quota.corral.dev "q" is invalid: [spec.role: Required value, spec.limits.cpus: Invalid value: -1]',
    );
    expect(e.toStatus().details?.causes).to.have.length(2);
  });
});
