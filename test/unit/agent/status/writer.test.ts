import { expect } from 'chai';
import { pino } from 'pino';
import { ClientError } from '../../../../core/client/index.ts';
import type { Task, TaskStatus } from '../../../../core/types/task.ts';
import type { TaskStatusApi } from '../../../../agent/status/writer.ts';
import { TaskStatusWriter } from '../../../../agent/status/writer.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const task = (rv: number, status?: TaskStatus): Task => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Task',
  metadata: { name: 't', namespace: 'ns', uid: 'u1', resourceVersion: String(rv) },
  spec: { agent: 'a', framework: 'f', role: '*', resources: {} },
  ...(status === undefined ? {} : { status }),
});

const conflict = () => new ClientError({ reason: 'Conflict', code: 409, message: 'stale' });

/** fakeApi keeps one stored Task; a write with a stale resourceVersion is a Conflict. */
function fakeApi(stored: Task) {
  const writes: Task[] = [];
  let current = stored;
  const api: TaskStatusApi = {
    get: () => Promise.resolve(current),
    updateStatus: obj => {
      if (obj.metadata.resourceVersion !== current.metadata.resourceVersion)
        return Promise.reject(conflict());
      current = {
        ...obj,
        metadata: {
          ...obj.metadata,
          resourceVersion: String(Number(current.metadata.resourceVersion) + 1),
        },
      };
      writes.push(current);
      return Promise.resolve(current);
    },
  };
  return { api, writes, set: (t: Task) => (current = t) };
}

const writerOf = (api: TaskStatusApi) =>
  new TaskStatusWriter({
    api,
    clock: new FakeClock(),
    logger: pino({ level: 'silent' }),
    fieldManager: 'test',
  });

describe('TaskStatusWriter', () => {
  it('writes a change once and skips a repeat of the same observation', async () => {
    const { api, writes } = fakeApi(task(1));
    const w = writerOf(api);
    const running = { type: 'running', containerId: 'c', pid: 3 } as const;
    await w.observe(task(1), { type: 'starting' });
    // the cache is stale (rv 1) but the writer uses its own newer copy
    await w.observe(task(1), running);
    await w.observe(task(1), running);
    expect(writes.map(t => t.status?.state)).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
  });

  it('reads again on Conflict and never overwrites a final state written meanwhile', async () => {
    const { api, writes, set } = fakeApi(task(1));
    set(task(5, { state: 'TASK_KILLED', source: 'SOURCE_AGENT' }));
    const w = writerOf(api);
    const out = await w.observe(task(1), { type: 'running', containerId: 'c' });
    expect(out?.status?.state).to.equal('TASK_KILLED');
    expect(writes).to.have.length(0);
  });

  it('gives up quietly when the Task is gone', async () => {
    const api: TaskStatusApi = {
      get: () =>
        Promise.reject(new ClientError({ reason: 'NotFound', code: 404, message: 'gone' })),
      updateStatus: () =>
        Promise.reject(new ClientError({ reason: 'NotFound', code: 404, message: 'gone' })),
    };
    expect(await writerOf(api).observe(task(1), { type: 'starting' })).to.equal(undefined);
  });
});
