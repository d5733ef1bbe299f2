import { expect } from 'chai';
import type { Resources } from '../../../../../core/resources/index.ts';
import type { Reservation } from '../../../../../core/types/index.ts';
import { ORIGIN_ANNOTATION, recordName } from '../../../../../controllers/offers/engine/index.ts';
import {
  LAUNCH,
  RESERVE,
  UNRESERVE,
  accept,
  created,
  dynamicRes,
  launchResult,
  opResult,
  res,
  reserved,
  same,
  task,
  recordChanges,
} from './builders.ts';

describe('offer engine: reservations (Mesos reservation_tests.cpp)', () => {
  it('ReservationTest.ReserveThenUnreserve: a RESERVE makes a Reservation, a later UNRESERVE removes it', () => {
    const unreserved = res('cpus:1;mem:512');
    const dynamic = reserved('cpus:1;mem:512');
    const first = accept(unreserved, [RESERVE(dynamic)]);
    expect(opResult(first, 0)).to.include({ state: 'OPERATION_PENDING' });
    const name = recordName('Reservation', first.offer, 0);
    expect(created(first, 'Reservation')).to.deep.equal([name]);
    // The reserved resources come back at once, without a filter: they are speculatively converted.
    expect(same(first.converted, dynamic)).to.equal(true);
    expect(first.declined.isEmpty()).to.equal(true);
    expect(first.filter).to.equal(undefined);

    const second = accept(dynamic, [UNRESERVE(dynamic)], {
      agent: { reservations: [{ name, role: 'role', resources: dynamic }] },
    });
    expect(opResult(second, 0)).to.include({ state: 'OPERATION_PENDING' });
    expect(recordChanges(second)).to.deep.equal([
      { action: 'delete', kind: 'Reservation', name, origin: 'uid-offer-1' },
    ]);
    expect(same(second.returned, unreserved)).to.equal(true);
  });

  it('ReservationTest.ReserveTwiceWithDoubleValue: two reservations of the same role merge exactly', () => {
    const plan = accept(res('cpus:1'), [
      RESERVE(reserved('cpus:0.1')),
      RESERVE(reserved('cpus:0.1')),
    ]);
    expect(same(plan.converted, reserved('cpus:0.2'))).to.equal(true);
    expect(same(plan.declined, res('cpus:0.8'))).to.equal(true);
    expect(created(plan, 'Reservation')).to.have.length(2);
  });

  it('ReservationTest.ReserveAndLaunchThenUnreserve: RESERVE then LAUNCH on the reservation in one answer', () => {
    const dynamic = reserved('cpus:1;mem:512');
    const plan = accept(res('cpus:1;mem:512'), [
      RESERVE(dynamic),
      LAUNCH([task('t1', { cpus: 1, mem: 512 })]),
    ]);
    expect(launchResult(plan, 1).tasks).to.deep.equal([
      { name: 't1', state: 'TASK_STAGING', source: 'SOURCE_MASTER' },
    ]);
    expect(same(plan.used, dynamic)).to.equal(true);
    expect(plan.returned.isEmpty()).to.equal(true);
    const t = plan.changes.find(c => c.action === 'create' && c.object.kind === 'Task');
    expect(t?.action === 'create' && t.object.spec).to.deep.include({
      agent: 'agent-1',
      role: 'role',
      offer: 'offer-1',
    });

    // Once the task is gone, the next offer holds the reservation, and it can be unreserved.
    const name = recordName('Reservation', plan.offer, 0);
    const later = accept(dynamic, [UNRESERVE(dynamic)], {
      agent: { reservations: [{ name, role: 'role', resources: dynamic }] },
    });
    expect(opResult(later, 0).state).to.equal('OPERATION_PENDING');
  });

  it('ReservationTest.DropReserveTooLarge: a RESERVE bigger than the offer is dropped, the rest declined', () => {
    const plan = accept(res('cpus:1;mem:512'), [RESERVE(reserved('cpus:1;mem:1024'))]);
    expect(opResult(plan, 0).state).to.equal('OPERATION_ERROR');
    expect(opResult(plan, 0).message).to.match(/does not contain/);
    expect(recordChanges(plan)).to.deep.equal([]);
    expect(same(plan.declined, res('cpus:1;mem:512'))).to.equal(true);
    expect(plan.filter?.refuseSeconds).to.equal(5);
  });

  it('ReservationTest.DropReserveWithDifferentRole: a framework reserves only for the offer role', () => {
    const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1', 'role2'))], {
      framework: { roles: ['role', 'role2'] },
    });
    expect(opResult(plan, 0).message).to.match(
      /with role 'role2', but the resource was allocated to role 'role'/,
    );
  });

  it('ReservationTest.PreventUnreservingAlienResources: what the offer does not hold cannot be unreserved', () => {
    const plan = accept(res('mem:256'), [UNRESERVE(reserved('mem:256', 'role1'))]);
    expect(opResult(plan, 0).state).to.equal('OPERATION_ERROR');
    expect(opResult(plan, 0).message).to.match(/does not contain/);
  });

  describe('ReservationTest.WithoutAuthentication*: no framework principal, no principal check', () => {
    for (const principal of [null, 'someone']) {
      it(`reserves with principal ${String(principal)}`, () => {
        const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1', 'role', principal))], {
          anonymous: true,
        });
        expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
      });
    }
  });

  it('refinement: a reservation for eng is refined to eng/backend, and unreserving pops back to eng', () => {
    const eng = res('cpus:2').pushReservation(dynamicRes('eng', 'principal'));
    const refined = eng.pushReservation(dynamicRes('eng/backend', 'principal'));
    const plan = accept(eng, [RESERVE(refined)], { role: 'eng/backend' });
    expect(opResult(plan, 0).state).to.equal('OPERATION_PENDING');
    expect(same(plan.converted, refined)).to.equal(true);
    const back = accept(refined, [UNRESERVE(refined)], { role: 'eng/backend' });
    expect(same(back.returned, eng)).to.equal(true);
    // Levels may be skipped: eng → eng/backend/db in one push.
    const deep = eng.pushReservation(dynamicRes('eng/backend/db', 'principal'));
    expect(opResult(accept(eng, [RESERVE(deep)], { role: 'eng/backend/db' }), 0).state).to.equal(
      'OPERATION_PENDING',
    );
  });

  it('UNRESERVE edits the Reservations holding the resources, by name, deleting emptied ones', () => {
    const a: { name: string; role: string; resources: Resources } = {
      name: 'a',
      role: 'role',
      resources: reserved('cpus:1'),
    };
    const b = { name: 'b', role: 'role', resources: reserved('cpus:3'), resourceVersion: '7' };
    const plan = accept(reserved('cpus:4'), [UNRESERVE(reserved('cpus:2'))], {
      agent: { reservations: [b, a] },
    });
    expect(recordChanges(plan)).to.have.length(2);
    expect(recordChanges(plan)[0]).to.deep.equal({
      action: 'delete',
      kind: 'Reservation',
      name: 'a',
      origin: 'uid-offer-1',
    });
    const update = recordChanges(plan)[1];
    expect(update).to.deep.include({
      action: 'update',
      kind: 'Reservation',
      name: 'b',
      resourceVersion: '7',
    });
    const spec =
      update?.action === 'update' && update.kind === 'Reservation' ? update.spec : undefined;
    expect(spec?.resources.map(r => r.scalar)).to.deep.equal(['2']);
    expect(ORIGIN_ANNOTATION).to.equal('corral.dev/origin');
  });

  it('writes creates before edits of existing records, whatever the operation order', () => {
    const old = { name: 'old', role: 'role', resources: reserved('mem:128') };
    const plan = accept(
      res('cpus:1').add(reserved('mem:128')),
      [UNRESERVE(reserved('mem:128')), RESERVE(reserved('cpus:1'))],
      {
        agent: { reservations: [old] },
      },
    );
    expect(recordChanges(plan).map(c => c.action)).to.deep.equal(['create', 'delete']);
  });

  it('RESERVE then UNRESERVE in one answer leaves no Reservation behind', () => {
    const dynamic = reserved('cpus:1');
    const plan = accept(res('cpus:1'), [RESERVE(dynamic), UNRESERVE(dynamic)]);
    expect(plan.results.map(r => r.kind === 'operation' && r.state)).to.deep.equal([
      'OPERATION_PENDING',
      'OPERATION_PENDING',
    ]);
    expect(recordChanges(plan)).to.deep.equal([]);
    expect(same(plan.returned, res('cpus:1'))).to.equal(true);
  });

  it('a RESERVE with an id gets an Operation record in OPERATION_PENDING, written first', () => {
    const plan = accept(res('cpus:1'), [RESERVE(reserved('cpus:1'), 'reserve-1')]);
    const first = recordChanges(plan)[0];
    expect(first?.action === 'create' && first.object.kind).to.equal('Operation');
    const op = first?.action === 'create' ? first.object : undefined;
    expect(op?.metadata).to.deep.include({ name: 'reserve-1', namespace: 'fw-ns' });
    expect((op as { status?: unknown } | undefined)?.status).to.deep.equal({
      state: 'OPERATION_PENDING',
      lastTransitionTime: '2025-01-01T00:00:00.000Z',
    });
    expect((recordChanges(plan)[1] as { object: Reservation }).object.spec.role).to.equal('role');
  });
});
