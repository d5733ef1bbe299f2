import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const ALL = '/apis/example.com/v1/widgets';
const NS = '/apis/example.com/v1/namespaces/default/widgets';

type Item = {
  kind?: string;
  reason?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
};

function widget(name: string, namespace?: string, spec: unknown = { size: 1 }): unknown {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: namespace === undefined ? { name } : { name, namespace },
    spec,
  };
}

const list = (items: unknown[], kind = 'List'): unknown => ({ apiVersion: 'v1', kind, items });

describe('API server: creating a List of objects in one request (Corral extension)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  const call = (path: string, opts = {}): Promise<HttpResult> => apiRequest(api, path, opts);
  const names = async (path: string): Promise<string[]> =>
    (await call(path))
      .json<{ items: Item[] }>()
      .items.map(i => i.metadata?.name ?? '')
      .sort();

  before(async () => {
    api = await startTestApiServer({ crdDir: 'test/fixtures/crds' });
    await call('/api/v1/namespaces', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    });
  });
  after(() => api.stop());

  it('creates every item of a List posted to a namespace and answers 201 with their metadata', async () => {
    const r = await call(NS, {
      method: 'POST',
      body: list([widget('l-1'), widget('l-2'), widget('l-3')], 'WidgetList'),
    });
    expect(r.status).to.equal(201);
    const body = r.json<{ kind: string; items: Item[] }>();
    expect(body.kind).to.equal('List');
    expect(body.items.map(i => i.metadata?.name)).to.deep.equal(['l-1', 'l-2', 'l-3']);
    for (const i of body.items) {
      // the answer carries each item's metadata, not the whole object again
      expect(i.kind).to.equal('PartialObjectMetadata');
      expect(i).not.to.have.property('spec');
      expect(i.metadata?.uid).to.be.a('string');
      expect(i.metadata?.namespace).to.equal('default');
    }
    const got = (await call(`${NS}/l-2`)).json<Item>();
    expect(got.metadata?.resourceVersion).to.equal(body.items[1]?.metadata?.resourceVersion);
  });

  it('serves the created items from its watch cache exactly as it stored them', async () => {
    // the watch cache keeps the handed-over objects instead of decoding their events: a cached
    // list (resourceVersion=0) and a list from etcd must still show the same objects
    const items = [widget('c-1', undefined, { size: 2, extra: 'pruned' }), widget('c-2')];
    const w = await call(`${NS}?watch=true&timeoutSeconds=1&resourceVersion=0`);
    expect(w.status).to.equal(200);
    expect((await call(NS, { method: 'POST', body: list(items) })).status).to.equal(201);
    const pick = (xs: unknown[]): unknown[] =>
      xs.filter(x => /^c-/.test((x as Item).metadata?.name ?? ''));
    // the cache may lag etcd by the events of the create
    const fromCache = await eventually(async () => {
      const got = pick((await call(`${NS}?resourceVersion=0`)).json<{ items: unknown[] }>().items);
      expect(got).to.have.length(2);
      return got;
    });
    const fromEtcd = pick((await call(NS)).json<{ items: unknown[] }>().items);
    expect(JSON.stringify(fromCache)).to.equal(JSON.stringify(fromEtcd));
  });

  it('creates items in their own namespaces when posted to the all-namespaces path', async () => {
    const r = await call(ALL, {
      method: 'POST',
      body: list([widget('x-1', 'default'), widget('x-2', 'other')]),
    });
    expect(r.status).to.equal(201);
    expect((await call('/apis/example.com/v1/namespaces/other/widgets/x-2')).status).to.equal(200);
    expect((await call(`${NS}/x-1`)).status).to.equal(200);
  });

  it('refuses the whole List when one item is invalid, naming it, and writes nothing', async () => {
    const r = await call(NS, {
      method: 'POST',
      body: list([widget('bad-1'), widget('bad-2', undefined, { size: 'huge' })]),
    });
    expect(r.status).to.equal(422);
    const s = r.json<{ message: string; details?: { causes?: { field: string }[] } }>();
    expect(s.message).to.match(/^items\[1\]: /);
    expect(s.details?.causes?.[0]?.field).to.equal('items[1].spec.size');
    expect((await call(`${NS}/bad-1`)).status).to.equal(404);
  });

  it('refuses an item without a namespace on the all-namespaces path, and duplicates', async () => {
    const noNs = await call(ALL, { method: 'POST', body: list([widget('n-1')]) });
    expect(noNs.status).to.equal(422);
    expect(
      noNs.json<{ details: { causes: { field: string }[] } }>().details.causes[0]?.field,
    ).to.equal('items[0].metadata.namespace');
    const dup = await call(NS, { method: 'POST', body: list([widget('d-1'), widget('d-1')]) });
    expect(dup.status).to.equal(422);
    expect(dup.json<{ message: string }>().message).to.include('items[1]');
    expect((await call(`${NS}/d-1`)).status).to.equal(404);
    expect((await call(`${NS}/n-1`)).status).to.equal(404);
  });

  it('reports an existing name as an AlreadyExists Status in its place and creates the rest', async () => {
    await call(NS, { method: 'POST', body: widget('e-1') });
    const r = await call(NS, { method: 'POST', body: list([widget('e-1'), widget('e-2')]) });
    expect(r.status).to.equal(200);
    const items = r.json<{ items: Item[] }>().items;
    expect(items[0]).to.include({ kind: 'Status', reason: 'AlreadyExists' });
    expect(items[1]?.metadata?.name).to.equal('e-2');
    expect(await names(NS)).to.include.members(['e-1', 'e-2']);
  });

  it('still refuses a single object on the all-namespaces path, and stores nothing on dry run', async () => {
    const single = await call(ALL, { method: 'POST', body: widget('s-1', 'default') });
    expect(single.status).to.equal(405);
    const dry = await call(`${NS}?dryRun=All`, { method: 'POST', body: list([widget('dry-1')]) });
    expect(dry.status).to.equal(201);
    expect((await call(`${NS}/dry-1`)).status).to.equal(404);
  });

  it('refuses a List into a namespace that does not exist', async () => {
    const r = await call(ALL, { method: 'POST', body: list([widget('m-1', 'missing')]) });
    expect(r.status).to.equal(404);
    expect(r.json<{ message: string }>().message).to.match(/^items\[0\]: .*missing/);
  });
});
