import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const NS = 'task-create';
const TASKS = `/apis/corral.dev/v1alpha1/namespaces/${NS}/tasks`;
const ALL_TASKS = '/apis/corral.dev/v1alpha1/tasks';

interface TaskView {
  metadata: { name: string; creationTimestamp: string; finalizers?: string[] };
  status?: Record<string, unknown>;
}

// what a client might send as status on a create: the server owns a new Task's first status
const CLAIMED = {
  state: 'TASK_RUNNING',
  source: 'SOURCE_EXECUTOR',
  message: 'made up',
  lastTransitionTime: '2020-01-01T00:00:00Z',
};

function task(
  name: string,
  extra: { status?: unknown; annotations?: Record<string, string>; namespace?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Task',
    metadata: {
      name,
      ...(extra.namespace === undefined ? {} : { namespace: extra.namespace }),
      ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }),
    },
    spec: {
      agent: 'a1',
      framework: 'fw',
      role: 'r',
      resources: { cpus: '1' },
      command: { value: 'true' },
    },
    ...(extra.status === undefined ? {} : { status: extra.status }),
  };
}

const staging = (t: TaskView) => ({
  state: 'TASK_STAGING',
  source: 'SOURCE_MASTER',
  lastTransitionTime: t.metadata.creationTimestamp,
});

describe('API server: a Task is created TASK_STAGING (the server sets its first status)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  const call = (path: string, opts = {}): Promise<HttpResult> => apiRequest(api, path, opts);
  const get = async (name: string): Promise<TaskView> => {
    const r = await call(`${TASKS}/${name}`);
    expect(r.status, r.text).to.equal(200);
    return r.json<TaskView>();
  };

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    await call('/api/v1/namespaces', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    });
  });
  after(() => api.stop());

  it('gives a single create STAGING from the master since its creation, whatever status the body had', async () => {
    // namespace admission may not have seen the namespace a moment ago: retry meanwhile
    const r = await eventually(async () => {
      const res = await call(TASKS, { method: 'POST', body: task('one', { status: CLAIMED }) });
      expect(res.status, res.text).to.equal(201);
      return res;
    });
    const created = r.json<TaskView>();
    expect(created.status).to.deep.equal(staging(created));
    expect((await get('one')).status).to.deep.equal(staging(created));
    const plain = await call(TASKS, { method: 'POST', body: task('two') });
    expect(plain.status).to.equal(201);
    expect(plain.json<TaskView>().status).to.deep.equal(staging(plain.json<TaskView>()));
  });

  it('gives every item of a List create STAGING, to a namespace and to all namespaces', async () => {
    const items = [task('l-1', { status: CLAIMED }), task('l-2')];
    const r = await call(TASKS, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'TaskList', items },
    });
    expect(r.status, r.text).to.equal(201);
    const across = await call(ALL_TASKS, {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'List',
        items: [task('l-3', { namespace: NS, status: CLAIMED })],
      },
    });
    expect(across.status, across.text).to.equal(201);
    for (const name of ['l-1', 'l-2', 'l-3']) {
      const t = await get(name);
      expect(t.status, name).to.deep.equal(staging(t));
    }
  });

  it('leaves a Task marked rejected without a status: its first is the TASK_ERROR written next', async () => {
    const rejected = { annotations: { 'corral.dev/rejected': 'true' }, status: CLAIMED };
    const r = await call(TASKS, { method: 'POST', body: task('refused', rejected) });
    expect(r.status, r.text).to.equal(201);
    expect((await get('refused')).status).to.equal(undefined);
  });

  it('gives a Task made by server-side apply STAGING too, and refuses an invalid one as any create would', async () => {
    const apply = (name: string, body: Record<string, unknown>) =>
      call(`${TASKS}/${name}?fieldManager=ssa-test`, {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body,
      });
    const made = await apply('applied', task('applied', { status: CLAIMED }));
    expect(made.status, made.text).to.equal(201);
    expect((await get('applied')).status).to.deep.equal(staging(made.json<TaskView>()));
    // a limit below its request: Corral's admission rule, not the schema's
    const bad = task('bad-limits');
    const spec = bad['spec'] as Record<string, unknown>;
    spec['limits'] = { cpus: '0.5' };
    const refused = await apply('bad-limits', bad);
    expect(refused.status, refused.text).to.equal(422);
    expect(refused.text).to.include('spec.limits');
    expect((await call(`${TASKS}/bad-limits`)).status, 'nothing stored').to.equal(404);
    const elsewhere = await call(
      '/apis/corral.dev/v1alpha1/namespaces/no-such-ns/tasks/lost?fieldManager=ssa-test',
      {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body: task('lost', { namespace: 'no-such-ns' }),
      },
    );
    expect(elsewhere.status, 'namespace admission').to.equal(404);
  });

  it('keeps the status through later updates of the main resource, and /status still writes it', async () => {
    const t = await get('two');
    const put = await call(`${TASKS}/two`, {
      method: 'PUT',
      body: { ...t, metadata: { ...t.metadata, finalizers: ['corral.dev/agent'] }, status: {} },
    });
    expect(put.status, put.text).to.equal(200);
    expect(put.json<TaskView>().status).to.deep.equal(staging(t));
    const running = { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' };
    const st = await call(`${TASKS}/two/status`, {
      method: 'PUT',
      body: { ...put.json<TaskView>(), status: running },
    });
    expect(st.status, st.text).to.equal(200);
    expect((await get('two')).status).to.deep.equal(running);
  });
});
