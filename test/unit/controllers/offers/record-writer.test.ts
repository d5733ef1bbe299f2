import { expect } from 'chai';
import type { ObjectMeta, KubeObject } from '../../../../core/types/index.ts';
import type { ClientError } from '../../../../core/client/index.ts';
import { deepFreeze } from '../../../../core/client/index.ts';
import { REJECTED_ANNOTATION } from '../../../../controllers/offers/engine/index.ts';
import type { RecordChange } from '../../../../controllers/offers/engine/index.ts';
import { savedPlanOf } from '../../../../controllers/offers/plan-store.ts';
import type {
  BatchCreateApi,
  RecordApi,
  TaskCreate,
  WriteContext,
} from '../../../../controllers/offers/record-writer.ts';
import { writeChange, writeTaskCreates } from '../../../../controllers/offers/record-writer.ts';
import { APPLIED_ANNOTATION } from '../../../../controllers/reservations/applied.ts';
import {
  CREATE,
  LAUNCH,
  RESERVE,
  UNRESERVE,
  accept,
  res,
  reserved,
  task,
  volume,
} from './engine/builders.ts';
import type { FakeKind } from './fake-cluster.ts';
import { NS, newWorld, silent } from './world.ts';

const OFFERED = res('cpus:2;mem:512;disk:1024');

// sending passes a kind of the fake cluster through, keeping every body it is sent to create
function sending<T extends KubeObject>(
  kind: FakeKind<T>,
  sent: KubeObject[],
): RecordApi<T> & BatchCreateApi<T> {
  return {
    get: kind.get,
    update: kind.update,
    updateStatus: kind.updateStatus,
    delete: kind.delete,
    create: (obj: T) => {
      sent.push(obj);
      return kind.create(obj);
    },
    createMany: (objs: readonly T[]): Promise<(ObjectMeta | ClientError)[]> => {
      sent.push(...objs);
      return kind.createMany(objs);
    },
  };
}

const isTaskCreate = (c: RecordChange): c is TaskCreate =>
  c.action === 'create' && c.object.kind === 'Task';

describe('the record writer on a deep-frozen plan (fake cluster)', () => {
  it('creates every kind of record from it and leaves the plan as it was', async () => {
    // every kind a plan creates; one Operation (UNRESERVE of what is not there) is an error
    const plan = savedPlanOf(
      accept(OFFERED, [
        RESERVE(reserved('cpus:1;mem:128;disk:512'), 'r1'),
        CREATE(volume('256', { id: 'v1' }), 'c1'),
        UNRESERVE(reserved('cpus:8'), 'bad'),
        LAUNCH([task('t1', { cpus: '0.1', mem: '16' }), task('t2', { cpus: '0.1', mem: '16' })]),
      ]),
    );
    const before = structuredClone(plan);
    deepFreeze(plan);
    const { cluster: c } = newWorld();
    const sent: KubeObject[] = [];
    const ctx: WriteContext = {
      apis: {
        reservations: sending(c.reservations, sent),
        volumes: sending(c.volumes, sent),
        tasks: sending(c.tasks, sent),
        operations: sending(c.operations, sent),
      },
      signal: new AbortController().signal,
      logger: silent,
    };
    for (const change of plan.changes) if (!isTaskCreate(change)) await writeChange(change, ctx);
    await writeTaskCreates(plan.changes.filter(isTaskCreate), ctx);

    expect(plan).to.deep.equal(before);
    expect(sent).to.have.length(7);
    for (const body of sent) expect(body, body.metadata.name).to.not.have.property('status');
    const annotations = (kind: string) =>
      Object.fromEntries(
        sent
          .filter(o => o.kind === kind)
          .map(o => [o.metadata.name ?? '', o.metadata.annotations ?? {}]),
      );
    const applied = (kind: string) =>
      Object.values(annotations(kind)).map(a => a[APPLIED_ANNOTATION] !== undefined);
    expect(applied('Reservation')).to.deep.equal([true]);
    expect(applied('Volume')).to.deep.equal([true]);
    const rejected = Object.entries(annotations('Operation')).map(([name, a]) => [
      name,
      a[REJECTED_ANNOTATION],
    ]);
    expect(rejected).to.deep.equal([
      ['r1', undefined],
      ['c1', undefined],
      ['bad', 'true'],
    ]);
    const volume1 = sent.find(o => o.kind === 'Volume') as KubeObject & { spec: unknown };
    expect(JSON.parse(volume1.metadata.annotations?.[APPLIED_ANNOTATION] ?? '')).to.deep.equal(
      volume1.spec,
    );

    const states = c.operations
      .list(NS)
      .map(o => `${o.metadata.name ?? ''} ${o.status?.state ?? ''}`);
    expect(states).to.deep.equal([
      'r1 OPERATION_PENDING',
      'c1 OPERATION_PENDING',
      'bad OPERATION_ERROR',
    ]);
    const tasks = c.tasks.list(NS).map(t => `${t.metadata.name ?? ''} ${t.status?.state ?? ''}`);
    expect(tasks).to.deep.equal(['t1 TASK_STAGING', 't2 TASK_STAGING']);
    expect(c.reservations.list()).to.have.length(1);
    expect(c.volumes.list()).to.have.length(1);
  });
});
