import { expect } from 'chai';
import fc from 'fast-check';
import type { Resources } from '../../../../../core/resources/index.ts';
import { renderResourceList } from '../../../../../core/resources/index.ts';
import type { OfferOperation, Reservation, TaskTemplate } from '../../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../../core/types/index.ts';
import type { AnswerPlan } from '../../../../../controllers/offers/engine/index.ts';
import { planReservationChange } from '../../../../../controllers/offers/engine/index.ts';
import { applyConversions } from '../../../../../controllers/offers/engine/conversions.ts';
import {
  CREATE,
  DESTROY,
  GROW,
  LAUNCH,
  LAUNCH_GROUP,
  RESERVE,
  SHRINK,
  UNRESERVE,
  accept,
  agent,
  disk,
  dynamicRes,
  mounting,
  res,
  reserved,
  task,
  volume,
} from './builders.ts';

// The offer: unreserved and reserved scalars, ports, reserved disk, and up to two known volumes.
const V0 = volume('100', { id: 'v0' });
const V1 = volume('200', { id: 'v1' });
const KNOWN = [
  { name: 'vol-v0', resource: V0 },
  { name: 'vol-v1', resource: V1 },
];

const offered = fc
  .record({
    cpus: fc.integer({ min: 0, max: 8 }),
    mem: fc.integer({ min: 0, max: 2048 }),
    rcpus: fc.integer({ min: 0, max: 4 }),
    rdisk: fc.integer({ min: 0, max: 1024 }),
    volumes: fc.subarray([V0, V1]),
  })
  .map(o =>
    res(`cpus:${o.cpus};mem:${o.mem};ports:[31000-31010]`)
      .add(reserved(`cpus:${o.rcpus};disk:${o.rdisk}`))
      .add(res('').add(o.volumes.reduce((rs, v) => rs.add(v), res('')))),
  );

const amount = fc.record({
  cpus: fc.integer({ min: 0, max: 4 }),
  mem: fc.integer({ min: 0, max: 1024 }),
});
const templates: fc.Arbitrary<TaskTemplate[]> = fc.array(
  fc
    .record({
      name: fc.constantFrom('t1', 't2', 't3'),
      cpus: fc.integer({ min: 0, max: 3 }),
      mem: fc.integer({ min: 0, max: 512 }),
      port: fc.option(fc.integer({ min: 31000, max: 31012 }), { nil: undefined }),
      mount: fc.option(fc.constantFrom('vol-v0', 'vol-v1', 'a'), { nil: undefined }),
    })
    .map(t =>
      task(
        t.name,
        { cpus: t.cpus, mem: t.mem, ...(t.port === undefined ? {} : { ports: String(t.port) }) },
        t.mount === undefined ? {} : mounting(t.mount),
      ),
    ),
  { maxLength: 2 },
);

const operation: fc.Arbitrary<OfferOperation> = fc.oneof(
  amount.map(a => RESERVE(reserved(`cpus:${a.cpus};mem:${a.mem}`))),
  amount.map(a => UNRESERVE(reserved(`cpus:${a.cpus};disk:${a.mem}`))),
  fc
    .record({ size: fc.integer({ min: 1, max: 600 }), id: fc.constantFrom('a', 'b', 'v0') })
    .map(v => CREATE(volume(String(v.size), { id: v.id }))),
  fc.constantFrom(V0, V1).map(v => DESTROY(v)),
  fc.integer({ min: 1, max: 300 }).map(n => GROW(V0, disk(String(n)))),
  fc.integer({ min: 1, max: 250 }).map(n => SHRINK(V1, n)),
  templates.map(ts => LAUNCH(ts)),
  templates.map(ts => LAUNCH_GROUP(ts)),
);

const answer = fc.record({ offered, operations: fc.array(operation, { maxLength: 6 }) });

function plan(a: { offered: Resources; operations: OfferOperation[] }): AnswerPlan {
  return accept(a.offered, a.operations, { agent: { volumes: KNOWN } });
}

describe('offer engine: properties of random answers', () => {
  it('used + returned = the offered resources after the plan’s conversions, exactly', () => {
    fc.assert(
      fc.property(answer, a => {
        const p = plan(a);
        const after = applyConversions(a.offered, p.conversions);
        expect(after.ok).to.equal(true);
        if (!after.ok) return;
        const total = p.used.add(p.returned);
        expect(
          total.equals(after.value),
          `${total.toString()} vs ${after.value.toString()}`,
        ).to.equal(true);
        expect(p.converted.add(p.declined).equals(p.returned)).to.equal(true);
      }),
    );
  });

  it('no operation creates resources out of nothing: quantities are conserved', () => {
    fc.assert(
      fc.property(answer, a => {
        const p = plan(a);
        for (const c of p.conversions)
          expect(c.consumed.toQuantities().equals(c.converted.toQuantities())).to.equal(true);
        expect(p.used.add(p.returned).toQuantities().equals(a.offered.toQuantities())).to.equal(
          true,
        );
      }),
    );
  });

  it('a plan never uses more than was offered', () => {
    fc.assert(
      fc.property(answer, a => {
        const p = plan(a);
        expect(a.offered.toQuantities().contains(p.used.toQuantities())).to.equal(true);
        const after = applyConversions(a.offered, p.conversions);
        expect(after.ok && after.value.contains(p.used)).to.equal(true);
      }),
    );
  });

  it('the same answer planned twice gives the same writes and record names', () => {
    fc.assert(
      fc.property(answer, a => {
        expect(plan(a).changes).to.deep.equal(plan(a).changes);
      }),
    );
  });

  it('every operation gets exactly one result, in order', () => {
    fc.assert(
      fc.property(answer, a => {
        expect(plan(a).results.map(r => r.index)).to.deep.equal(a.operations.map((_, i) => i));
      }),
    );
  });
});

describe('offer engine: properties of operator reservations', () => {
  const rsv = (rs: Resources): Reservation => ({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name: 'r' },
    spec: { agent: 'agent-1', role: 'role', resources: renderResourceList(rs) },
  });

  it('reserving, moving to another role and unreserving gives the agent its resources back', () => {
    const total = res('cpus:8;mem:4096;disk:1024');
    fc.assert(
      fc.property(amount, fc.constantFrom('role', 'role/a', 'other'), (a, role) => {
        const start = agent({ total });
        const dynamic = reserved(`cpus:${Math.max(1, a.cpus)};mem:${a.mem}`);
        const made = planReservationChange(undefined, rsv(dynamic), start);
        if (!made.ok) throw new Error(made.reason);
        const held = agent({
          total: made.total,
          reservations: [{ name: 'r', role: 'role', resources: dynamic }],
        });
        const moved = dynamic.toUnreserved().pushReservation(dynamicRes(role, 'principal'));
        const update = planReservationChange(rsv(dynamic), rsv(moved), held);
        if (!update.ok) throw new Error(update.reason);
        expect(update.total.toQuantities().equals(total.toQuantities())).to.equal(true);
        const gone = planReservationChange(
          rsv(moved),
          undefined,
          agent({ total: update.total, reservations: [{ name: 'r', role, resources: moved }] }),
        );
        expect(gone.ok && gone.total.equals(total)).to.equal(true);
      }),
    );
  });
});
