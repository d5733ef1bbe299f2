// Updates served from the watch cache's copy of an object (write-path.ts guaranteedUpdate): the
// answers must be those of a read from etcd, and nothing a write computes may leak into what the
// cache serves to lists and watches.
import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { uniquePrefix } from '../../helpers/etcd.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';

interface Obj {
  metadata: Record<string, unknown> & {
    name: string;
    resourceVersion: string;
    managedFields?: Record<string, unknown>[];
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

describe('updates over the watch cache', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  const call = (path: string, opts = {}): Promise<HttpResult> => apiRequest(api, path, opts);
  const json = async (path: string, opts = {}): Promise<Obj> =>
    (await call(path, opts)).json<Obj>();

  // cachedAt waits until a list served by the watch cache shows `name` at `rv` (starting the
  // resource's cache on the first call), so the next write can start from the cache's copy.
  async function cachedAt(collection: string, name: string, rv: string): Promise<Obj> {
    return eventually(async () => {
      const list = await json(`${collection}?resourceVersion=0`);
      const items = (list as unknown as { items: Obj[] }).items;
      const found = items.find(o => o.metadata.name === name);
      expect(found?.metadata.resourceVersion).to.equal(rv);
      return found as Obj;
    });
  }

  async function widget(name: string): Promise<Obj> {
    const made = await json(WIDGETS, {
      method: 'POST',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 1 } },
    });
    const phased = await json(`${WIDGETS}/${name}/status`, {
      method: 'PUT',
      body: { ...made, status: { phase: 'Old' } },
    });
    await cachedAt(WIDGETS, name, phased.metadata.resourceVersion);
    return phased;
  }

  const root = uniquePrefix('registry');
  before(async () => {
    api = await startTestApiServer({ crdDir: 'test/fixtures/crds', root });
  });
  after(() => api.stop());

  it('finds an object in the store’s cache once a running watch cache holds it', async () => {
    const w = await widget('held');
    const got = api.server.store.getCached(`${root}/example.com/widgets/default/held`);
    expect(got?.object).to.deep.equal(w);
    expect(got?.rv).to.equal(w.metadata.resourceVersion);
    expect(api.server.store.getCached(`${root}/example.com/widgets/default/nothing`)).to.equal(
      undefined,
    );
    // gadgets have no cache running: nothing is cached, whatever is stored
    expect(api.server.store.getCached(`${root}/example.com/gadgets/g1`)).to.equal(undefined);
  });

  it('renews a Lease over each answer, as agents do: one managedFields entry, moved on', async () => {
    const lease = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name },
      spec,
    });
    let last = await json(`${LEASES}?fieldManager=corral-agent`, {
      method: 'POST',
      body: lease('l1', { holderIdentity: 'a1', renewTime: '2026-01-01T00:00:00.000000Z' }),
    });
    await cachedAt(LEASES, 'l1', last.metadata.resourceVersion);
    for (let i = 1; i <= 3; i++) {
      const renewTime = `2026-01-01T00:00:0${i}.000000Z`;
      last = await json(`${LEASES}/l1?fieldManager=corral-agent`, {
        method: 'PUT',
        body: { ...last, spec: { ...last.spec, renewTime } },
      });
      expect(last.spec?.['renewTime']).to.equal(renewTime);
    }
    const entries = (last.metadata.managedFields ?? []).map(e => {
      const untimed = { ...e };
      delete untimed['time'];
      return untimed;
    });
    expect(entries).to.deep.equal([
      {
        manager: 'corral-agent',
        operation: 'Update',
        apiVersion: 'coordination.k8s.io/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { '.': {}, 'f:holderIdentity': {}, 'f:renewTime': {} } },
      },
    ]);
    expect(await json(`${LEASES}/l1`)).to.deep.equal(last);
  });

  it('answers 409 to a write pinned to a resourceVersion the cache has passed', async () => {
    const first = await widget('pinned');
    const moved = await json(`${WIDGETS}/pinned/status`, {
      method: 'PUT',
      body: { ...first, status: { phase: 'New' } },
    });
    await cachedAt(WIDGETS, 'pinned', moved.metadata.resourceVersion);
    const stale = await call(`${WIDGETS}/pinned/status`, {
      method: 'PUT',
      body: { ...first, status: { phase: 'Stale' } },
    });
    expect(stale.status).to.equal(409);
    expect((await json(`${WIDGETS}/pinned`)).status).to.deep.equal({ phase: 'New' });
  });

  it('leaves what lists show as it was after a refused and a dry-run status write', async () => {
    const w = await widget('refused');
    const bad = await call(`${WIDGETS}/refused/status`, {
      method: 'PUT',
      body: { ...w, status: { phase: 5 } },
    });
    expect(bad.status).to.equal(422);
    const dry = await call(`${WIDGETS}/refused/status?dryRun=All`, {
      method: 'PUT',
      body: { ...w, status: { phase: 'Dry' } },
    });
    expect(dry.status).to.equal(200);
    expect(dry.json<Obj>().status).to.deep.equal({ phase: 'Dry' });
    const cached = await cachedAt(WIDGETS, 'refused', w.metadata.resourceVersion);
    expect(cached).to.deep.equal(w);
    expect(await json(`${WIDGETS}/refused`)).to.deep.equal(w);
  });

  it('lands every one of concurrent merge patches, whatever copy each started from', async () => {
    await widget('patched');
    const patches = Array.from({ length: 8 }, (_, i) =>
      call(`${WIDGETS}/patched`, {
        method: 'PATCH',
        body: { metadata: { labels: { [`l${i}`]: 'x' } } },
        contentType: 'application/merge-patch+json',
      }),
    );
    for (const r of await Promise.all(patches)) expect(r.status, r.text).to.equal(200);
    const labels = (await json(`${WIDGETS}/patched`)).metadata.labels ?? {};
    expect(Object.keys(labels).sort()).to.deep.equal([
      'l0',
      'l1',
      'l2',
      'l3',
      'l4',
      'l5',
      'l6',
      'l7',
    ]);
  });

  it('sends one event to each watcher as its own selector sees it (ADDED to one, MODIFIED to the other)', async () => {
    const w = await widget('seen');
    const rv = w.metadata.resourceVersion;
    const watch = (selector: string): Promise<HttpResult> =>
      call(`${WIDGETS}?watch=true&resourceVersion=${rv}&timeoutSeconds=2${selector}`);
    const all = watch('');
    const labelled = watch('&labelSelector=team%3Dx');
    // both watches are subscribed once the cache answers a list after them
    await cachedAt(WIDGETS, 'seen', rv);
    const patched = await json(`${WIDGETS}/seen`, {
      method: 'PATCH',
      body: { metadata: { labels: { team: 'x' } } },
      contentType: 'application/merge-patch+json',
    });
    const events = async (r: Promise<HttpResult>): Promise<unknown[]> =>
      (await r).text
        .split('\n')
        .filter(l => l.trim() !== '')
        .map(l => JSON.parse(l) as unknown);
    expect(await events(all)).to.deep.equal([{ type: 'MODIFIED', object: patched }]);
    expect(await events(labelled)).to.deep.equal([{ type: 'ADDED', object: patched }]);
  });

  it('answers a create and an update, and sends their events, as a read then gives the object', async () => {
    // the answer and the event are rendered from the write's own JSON (codec.ts encodeForStore),
    // not from the stored value: they must still be what decoding that value gives
    const events = call(
      `${WIDGETS}?watch=true&timeoutSeconds=2&fieldSelector=metadata.name%3Drendered`,
    );
    await cachedAt(WIDGETS, 'seen', (await json(`${WIDGETS}/seen`)).metadata.resourceVersion);
    const made = await json(WIDGETS, {
      method: 'POST',
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'rendered', labels: { a: 'b' } },
        spec: { size: 2 },
      },
    });
    expect(made).to.deep.equal(await json(`${WIDGETS}/rendered`));
    const updated = await json(`${WIDGETS}/rendered`, {
      method: 'PUT',
      body: { ...made, spec: { size: 3 } },
    });
    expect(updated.metadata.resourceVersion).to.not.equal(made.metadata.resourceVersion);
    expect(updated).to.deep.equal(await json(`${WIDGETS}/rendered`));
    const seen = (await events).text
      .split('\n')
      .filter(l => l.trim() !== '')
      .map(l => JSON.parse(l) as unknown);
    expect(seen).to.deep.equal([
      { type: 'ADDED', object: made },
      { type: 'MODIFIED', object: updated },
    ]);
  });

  it('lists and watches without managedFields for a client that asks (omitManagedFields)', async () => {
    const w = await widget('lean');
    const rv = w.metadata.resourceVersion;
    const lines = async (r: Promise<HttpResult>): Promise<string[]> =>
      (await r).text.split('\n').filter(l => l.trim() !== '');
    const at = `${WIDGETS}?watch=true&resourceVersion=${rv}&timeoutSeconds=2`;
    const full = call(at);
    const lean = call(`${at}&omitManagedFields=true`);
    await cachedAt(WIDGETS, 'lean', rv);
    const patched = await json(`${WIDGETS}/lean`, {
      method: 'PATCH',
      body: { spec: { size: 5 } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.metadata.managedFields).to.have.length.greaterThan(0);
    // the same object less managedFields, its members in the same order
    const metadata = Object.fromEntries(
      Object.entries(patched.metadata).filter(([k]) => k !== 'managedFields'),
    );
    const without = { ...patched, metadata };
    expect(await lines(lean)).to.deep.equal([
      JSON.stringify({ type: 'MODIFIED', object: without }),
    ]);
    expect((await lines(full)).map(l => JSON.parse(l) as unknown)).to.deep.equal([
      { type: 'MODIFIED', object: patched },
    ]);
    // lists, from the watch cache (resourceVersion=0) and from etcd, alike
    for (const q of ['resourceVersion=0&', '', 'limit=1&']) {
      const page = (await json(`${WIDGETS}?${q}omitManagedFields=true`)) as unknown as {
        items: Obj[];
      };
      expect(page.items.length).to.be.greaterThan(0);
      for (const item of page.items) expect(item.metadata).to.not.have.property('managedFields');
      const all = (await json(`${WIDGETS}?${q}omitManagedFields=false`)) as unknown as {
        items: Obj[];
      };
      for (const item of all.items) expect(item.metadata).to.have.property('managedFields');
    }
  });

  it('answers writes and reads without managedFields for a client that asks (omitManagedFields)', async () => {
    const lean = `omitManagedFields=true`;
    // exactly the stored object less managedFields, its members in the same order
    const expectLean = async (text: string, name: string): Promise<void> => {
      const full = await json(`${WIDGETS}/${name}`);
      expect(full.metadata.managedFields).to.have.length.greaterThan(0);
      const metadata = Object.fromEntries(
        Object.entries(full.metadata).filter(([k]) => k !== 'managedFields'),
      );
      expect(text).to.equal(JSON.stringify({ ...full, metadata }));
    };
    const made = await call(`${WIDGETS}?${lean}`, {
      method: 'POST',
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'lean-write' },
        spec: { size: 1 },
      },
    });
    expect(made.status, made.text).to.equal(201);
    await expectLean(made.text, 'lean-write');
    // sent back without managedFields, the object keeps its managers
    const put = await call(`${WIDGETS}/lean-write?${lean}`, {
      method: 'PUT',
      body: { ...(JSON.parse(made.text) as Obj), spec: { size: 2 } },
    });
    expect(put.status, put.text).to.equal(200);
    await expectLean(put.text, 'lean-write');
    const patched = await call(`${WIDGETS}/lean-write?${lean}`, {
      method: 'PATCH',
      body: { spec: { size: 3 } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).to.equal(200);
    await expectLean(patched.text, 'lean-write');
    const got = await call(`${WIDGETS}/lean-write?${lean}`);
    await expectLean(got.text, 'lean-write');
  });

  it('answers a no-op status write with the stored object and writes nothing', async () => {
    const w = await widget('same');
    const again = await json(`${WIDGETS}/same/status`, { method: 'PUT', body: w });
    expect(again).to.deep.equal(w);
  });
});
