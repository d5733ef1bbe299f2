import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseResourceList } from '../../../../../core/resources/index.ts';
import type {
  Agent,
  Framework,
  KubeObject,
  Offer,
  Operation,
  Reservation,
  Task,
  Volume,
} from '../../../../../core/types/index.ts';
import type { AnswerPlan, CreatedObject } from '../../../../../controllers/offers/engine/index.ts';
import {
  agentStateFrom,
  applyAnswer,
  frameworkViewFrom,
  isAlreadyApplied,
  missingChanges,
  recordName,
} from '../../../../../controllers/offers/engine/index.ts';

const sample = <T>(kind: string): T => parse(readFileSync(`samples/${kind}.yaml`, 'utf8')) as T;
const NOW = '2025-11-21T06:00:00.000Z';

interface World {
  readonly reservations: Reservation[];
  readonly volumes: Volume[];
  readonly tasks: Task[];
  readonly operations: Operation[];
}

// plan runs the sample offer against a cluster holding `world` (the samples' agent, reservation
// and volume, plus whatever a previous run created).
function plan(world: World): AnswerPlan {
  const offer = sample<Offer>('offer');
  offer.metadata.uid = 'offer-uid-42';
  return applyAnswer({
    offer,
    framework: frameworkViewFrom(sample<Framework>('framework'), world.tasks, world.operations),
    agent: agentStateFrom({
      agent: sample<Agent>('agent'),
      reservations: world.reservations,
      volumes: world.volumes,
      tasks: world.tasks,
      offers: [],
    }),
    now: NOW,
  });
}

const base = (): World => ({
  reservations: [sample<Reservation>('reservation')],
  volumes: [sample<Volume>('volume')],
  tasks: [],
  operations: [],
});

// apply adds created objects to the world, as the API server would hold them.
function apply(world: World, objects: readonly CreatedObject[]): World {
  const next = {
    reservations: [...world.reservations],
    volumes: [...world.volumes],
    tasks: [...world.tasks],
    operations: [...world.operations],
  };
  for (const o of objects) {
    if (o.kind === 'Reservation') next.reservations.push(o);
    else if (o.kind === 'Volume') next.volumes.push(o);
    else if (o.kind === 'Task') next.tasks.push(o);
    else next.operations.push(o);
  }
  return next;
}

const createdObjects = (p: AnswerPlan): CreatedObject[] =>
  p.changes.flatMap(c => (c.action === 'create' ? [c.object] : []));

describe('offer engine: the samples, end to end', () => {
  it('samples/offer.yaml yields samples/operation.yaml and the placement of samples/task.yaml', () => {
    const p = plan(base());
    expect(p.outcome).to.equal('ACCEPTED');
    expect(p.results[0]).to.deep.include({
      state: 'OPERATION_PENDING',
      id: 'reserve-node-a1-pg-extra-cpu',
    });
    const objects = createdObjects(p);
    expect(objects.map(o => `${o.kind}/${o.metadata.name ?? ''}`)).to.deep.equal([
      'Operation/reserve-node-a1-pg-extra-cpu',
      `Reservation/${recordName('Reservation', p.offer, 0)}`,
      'Task/pg-main-0',
    ]);
    const op = objects[0] as Operation;
    expect(op.spec).to.deep.equal(sample<Operation>('operation').spec);
    const t = objects[2] as Task;
    const want = sample<Task>('task');
    expect(t.spec).to.deep.include({
      agent: 'node-a1',
      framework: 'pg-operator',
      role: 'databases',
      offer: want.spec.offer,
    });
    const got = parseResourceList(t.spec.allocatedResources ?? []);
    expect(got.equals(parseResourceList(want.spec.allocatedResources ?? []))).to.equal(true);
    expect(p.filter?.refuseSeconds).to.equal(30);
  });
});

describe('offer engine: idempotency', () => {
  it('the same answer planned twice gives the same writes, names included', () => {
    expect(plan(base()).changes).to.deep.equal(plan(base()).changes);
  });

  for (let done = 0; done <= 3; done++) {
    it(`a controller killed after ${done} of 3 writes replans the same writes and makes only the rest`, () => {
      const first = plan(base());
      const made = createdObjects(first).slice(0, done);
      const world = apply(base(), made);
      const again = plan(world);
      expect(again.changes).to.deep.equal(first.changes);
      const existing: KubeObject[] = [
        ...world.reservations,
        ...world.volumes,
        ...world.tasks,
        ...world.operations,
      ];
      expect(missingChanges(again, existing)).to.deep.equal(first.changes.slice(done));
      expect(isAlreadyApplied(again, existing)).to.equal(done === 3);
    });
  }

  it('an answer to an offer that is being deleted (rescinded) writes nothing', () => {
    const offer = sample<Offer>('offer');
    offer.metadata.deletionTimestamp = NOW;
    const p = applyAnswer({
      offer,
      framework: frameworkViewFrom(sample<Framework>('framework'), [], []),
      agent: agentStateFrom({
        agent: sample<Agent>('agent'),
        reservations: [],
        volumes: [],
        tasks: [],
        offers: [],
      }),
      now: NOW,
    });
    expect(p.changes).to.deep.equal([]);
    expect(p.returned.isEmpty()).to.equal(true);
  });

  it('isAlreadyApplied sees an update by its origin annotation and a delete by the record being gone', () => {
    const update = {
      action: 'update',
      kind: 'Reservation',
      name: 'r',
      origin: 'o',
      spec: sample<Reservation>('reservation').spec,
    } as const;
    const del = { action: 'delete', kind: 'Volume', name: 'v', origin: 'o' } as const;
    const p = { ...plan(base()), changes: [update, del] };
    const r = { ...sample<Reservation>('reservation'), metadata: { name: 'r' } };
    const marked = { ...r, metadata: { name: 'r', annotations: { 'corral.dev/origin': 'o' } } };
    const v = { ...sample<Volume>('volume'), metadata: { name: 'v' } };
    expect(missingChanges(p, [r, v])).to.deep.equal([update, del]);
    expect(missingChanges(p, [marked])).to.deep.equal([]);
  });
});
