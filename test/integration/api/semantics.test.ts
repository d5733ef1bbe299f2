import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const NS = '/apis/example.com/v1/namespaces/default/widgets';
type Obj = {
  metadata: Record<string, unknown> & { resourceVersion: string; generation: number; uid: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

function widget(
  name: string,
  spec: Record<string, unknown> = { size: 1 },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, ...extra }, spec };
}

function status(r: HttpResult): {
  reason: string;
  code: number;
  message: string;
  details?: { causes?: { field: string }[] };
} {
  return r.json();
}

describe('API server semantics', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  const call = (path: string, opts = {}): Promise<HttpResult> => apiRequest(api, path, opts);

  before(async () => {
    api = await startTestApiServer({ crdDir: 'test/fixtures/crds' });
  });
  after(() => api.stop());

  describe('authentication and health', () => {
    it('answers 401 with a Status for a missing or wrong token', async () => {
      for (const token of [null, 'wrong']) {
        const r = await call(NS, { token });
        expect(r.status).to.equal(401);
        expect(status(r)).to.include({ reason: 'Unauthorized', code: 401 });
      }
    });
    it('serves /healthz, /livez, /readyz and /version without credentials', async () => {
      for (const p of ['/healthz', '/livez', '/readyz'])
        expect((await call(p, { token: null })).text).to.equal('ok');
      expect((await call('/version', { token: null })).json()).to.include({
        major: '1',
        minor: '32',
      });
    });
  });

  describe('bad input gets a Status and nothing is written', () => {
    it('400 for malformed JSON', async () => {
      const r = await call(NS, { method: 'POST', body: '{"apiVersion":' });
      expect(r.status).to.equal(400);
      expect(status(r).reason).to.equal('BadRequest');
    });
    it('400 when kind or apiVersion do not match the URL', async () => {
      const r = await call(NS, { method: 'POST', body: { ...widget('k1'), kind: 'Gadget' } });
      expect(r.status).to.equal(400);
      const v = await call(NS, {
        method: 'POST',
        body: { ...widget('k2'), apiVersion: 'example.com/v2' },
      });
      expect(v.status).to.equal(400);
      expect((await call(`${NS}/k1`)).status).to.equal(404);
    });
    it('404 for an unknown resource', async () => {
      const r = await call('/apis/example.com/v1/namespaces/default/sprockets');
      expect(r.status).to.equal(404);
      expect(status(r).reason).to.equal('NotFound');
    });
    it('413 for a body over 3 MiB', async () => {
      const big = widget('big', { size: 1, config: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } });
      const r = await call(NS, { method: 'POST', body: big });
      expect(r.status).to.equal(413);
      expect((await call(`${NS}/big`)).status).to.equal(404);
    });
    it('422 for an invalid name and for schema violations, with every field path', async () => {
      const r = await call(NS, {
        method: 'POST',
        body: widget('Bad_Name', { size: -1, color: 'pink', tags: 'x' }),
      });
      expect(r.status).to.equal(422);
      const fields = (status(r).details?.causes ?? []).map(c => c.field);
      expect(fields).to.include.members(['metadata.name', 'spec.size', 'spec.color', 'spec.tags']);
    });
    it('409 for a stale resourceVersion on update, and the stored object is unchanged', async () => {
      const created = (await call(NS, { method: 'POST', body: widget('stale') })).json<Obj>();
      const ok = await call(`${NS}/stale`, {
        method: 'PUT',
        body: {
          ...widget('stale', { size: 2 }),
          metadata: { name: 'stale', resourceVersion: created.metadata.resourceVersion },
        },
      });
      expect(ok.status).to.equal(200);
      const r = await call(`${NS}/stale`, {
        method: 'PUT',
        body: {
          ...widget('stale', { size: 3 }),
          metadata: { name: 'stale', resourceVersion: created.metadata.resourceVersion },
        },
      });
      expect(r.status).to.equal(409);
      expect(status(r).reason).to.equal('Conflict');
      expect((await call(`${NS}/stale`)).json<Obj>().spec).to.deep.include({ size: 2 });
    });
    it('415 for an unsupported patch type', async () => {
      await call(NS, { method: 'POST', body: widget('p415') });
      const r = await call(`${NS}/p415`, {
        method: 'PATCH',
        body: { spec: { size: 2 } },
        contentType: 'application/strategic-merge-patch+json',
      });
      expect(r.status).to.equal(415);
      expect(status(r).message).to.match(
        /accepted media types include: application\/json-patch\+json/,
      );
    });
    it('rejects CRDs that use CEL rules or are not structural', async () => {
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'things.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'things', kind: 'Thing' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { 'x-kubernetes-validations': [{ rule: 'self.a > 1' }], type: 'object' },
                  },
                },
              },
            },
          ],
        },
      };
      const r = await call('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        method: 'POST',
        body: crd,
      });
      expect(r.status).to.equal(422);
      expect(r.text).to.match(/CEL/);
    });
  });

  describe('metadata and subresources', () => {
    it('sets uid, creationTimestamp and generation; bumps generation only for spec changes', async () => {
      const c = (
        await call(NS, { method: 'POST', body: widget('gen', { size: 1 }, { labels: { a: 'b' } }) })
      ).json<Obj>();
      expect(c.metadata.uid).to.match(/^[0-9a-f-]{36}$/);
      expect(c.metadata['creationTimestamp']).to.match(/Z$/);
      expect(c.metadata.generation).to.equal(1);
      const labelled = (
        await call(`${NS}/gen`, {
          method: 'PATCH',
          body: { metadata: { labels: { a: 'c' } } },
          contentType: 'application/merge-patch+json',
        })
      ).json<Obj>();
      expect(labelled.metadata.generation).to.equal(1);
      expect(labelled.metadata.resourceVersion).to.not.equal(c.metadata.resourceVersion);
      const spec = (
        await call(`${NS}/gen`, {
          method: 'PATCH',
          body: { spec: { size: 5 } },
          contentType: 'application/merge-patch+json',
        })
      ).json<Obj>();
      expect(spec.metadata.generation).to.equal(2);
    });
    it('does not write a no-op update (same resourceVersion)', async () => {
      const before = (await call(`${NS}/gen`)).json<Obj>();
      const after = (
        await call(`${NS}/gen`, {
          method: 'PATCH',
          body: { spec: { size: 5 } },
          contentType: 'application/merge-patch+json',
        })
      ).json<Obj>();
      expect(after.metadata.resourceVersion).to.equal(before.metadata.resourceVersion);
    });
    it('ignores status on the main resource and spec on /status', async () => {
      await call(NS, { method: 'POST', body: { ...widget('st'), status: { phase: 'Ignored' } } });
      expect((await call(`${NS}/st`)).json<Obj>().status).to.equal(undefined);
      const s = await call(`${NS}/st/status`, {
        method: 'PATCH',
        body: { spec: { size: 99 }, status: { phase: 'Running' } },
        contentType: 'application/merge-patch+json',
      });
      expect(s.status).to.equal(200);
      const got = (await call(`${NS}/st`)).json<Obj>();
      expect(got.status).to.deep.equal({ phase: 'Running' });
      expect(got.spec).to.deep.include({ size: 1 });
      expect(got.metadata.generation).to.equal(1);
    });
    it('serves /scale as an autoscaling/v1 Scale', async () => {
      const r = await call(`${NS}/st/scale`, {
        method: 'PATCH',
        body: { spec: { replicas: 3 } },
        contentType: 'application/merge-patch+json',
      });
      expect(r.json()).to.deep.include({ kind: 'Scale', apiVersion: 'autoscaling/v1' });
      expect((await call(`${NS}/st`)).json<Obj>().spec).to.deep.include({ replicas: 3 });
    });
    it('dryRun=All validates without writing', async () => {
      const r = await call(`${NS}?dryRun=All`, { method: 'POST', body: widget('dry') });
      expect(r.status).to.equal(201);
      expect((await call(`${NS}/dry`)).status).to.equal(404);
    });
    it('generateName makes a unique name', async () => {
      const r = (
        await call(NS, {
          method: 'POST',
          body: {
            apiVersion: 'example.com/v1',
            kind: 'Widget',
            metadata: { generateName: 'gen-' },
            spec: { size: 1 },
          },
        })
      ).json<Obj>();
      expect(r.metadata['name']).to.match(/^gen-[a-z0-9]{5}$/);
    });
  });

  describe('lists and watches', () => {
    it('lists with field selectors, including CRD selectableFields', async () => {
      await call(NS, { method: 'POST', body: widget('blue-1', { size: 1, color: 'blue' }) });
      const byName = (await call(`${NS}?fieldSelector=metadata.name%3Dblue-1`)).json<{
        items: Obj[];
      }>();
      expect(byName.items).to.have.length(1);
      const byColor = (await call(`${NS}?fieldSelector=spec.color%3Dblue`)).json<{
        items: Obj[];
      }>();
      expect(byColor.items.map(i => i.metadata['name'])).to.deep.equal(['blue-1']);
      expect((await call(`${NS}?fieldSelector=spec.size%3D1`)).status).to.equal(400);
    });
    it('answers 410 for a continue token whose revision was compacted', async () => {
      for (const n of ['page-a', 'page-b']) await call(NS, { method: 'POST', body: widget(n) });
      const page = (await call(`${NS}?limit=1`)).json<{ metadata: { continue: string } }>();
      await call(NS, { method: 'POST', body: widget('after-page') });
      await api.server.store.compactNow(await api.server.store.currentRevision());
      const r = await call(`${NS}?limit=1&continue=${encodeURIComponent(page.metadata.continue)}`);
      expect(r.status).to.equal(410);
      expect(status(r).reason).to.equal('Expired');
    });
    it('resumes a watch from a resourceVersion and sends bookmarks only when asked', async () => {
      const list = (await call(NS)).json<{ metadata: { resourceVersion: string } }>();
      await call(NS, { method: 'POST', body: widget('after-list') });
      const r = await call(
        `${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`,
      );
      const events = r.text
        .split('\n')
        .filter(l => l.trim() !== '')
        .map(l => JSON.parse(l) as { type: string; object: Obj });
      expect(events.map(e => `${e.type}:${String(e.object.metadata['name'])}`)).to.deep.equal([
        'ADDED:after-list',
      ]);
    });
    it('deletes a collection by label selector', async () => {
      for (const n of ['dc-1', 'dc-2'])
        await call(NS, {
          method: 'POST',
          body: widget(n, { size: 1 }, { labels: { group: 'dc' } }),
        });
      const r = await call(`${NS}?labelSelector=group%3Ddc`, { method: 'DELETE' });
      expect(r.status).to.equal(200);
      expect(
        (await call(`${NS}?labelSelector=group%3Ddc`)).json<{ items: unknown[] }>().items,
      ).to.have.length(0);
    });
  });

  describe('deletion and garbage collection', () => {
    it('deletes dependents in the background when their owner goes', async () => {
      const owner = (await call(NS, { method: 'POST', body: widget('owner') })).json<Obj>();
      const ref = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        name: 'owner',
        uid: owner.metadata.uid,
      };
      await call(NS, {
        method: 'POST',
        body: widget('dependent', { size: 1 }, { ownerReferences: [ref] }),
      });
      expect((await call(`${NS}/owner`, { method: 'DELETE' })).status).to.equal(200);
      await eventually(async () => expect((await call(`${NS}/dependent`)).status).to.equal(404));
    });
    it('orphans dependents with propagationPolicy Orphan', async () => {
      const owner = (await call(NS, { method: 'POST', body: widget('owner2') })).json<Obj>();
      const ref = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        name: 'owner2',
        uid: owner.metadata.uid,
      };
      await call(NS, {
        method: 'POST',
        body: widget('orphan', { size: 1 }, { ownerReferences: [ref] }),
      });
      await call(`${NS}/owner2`, { method: 'DELETE', body: { propagationPolicy: 'Orphan' } });
      await eventually(async () => expect((await call(`${NS}/owner2`)).status).to.equal(404));
      const orphan = (await call(`${NS}/orphan`)).json<Obj>();
      expect(orphan.metadata['ownerReferences']).to.equal(undefined);
    });
    it('deletes dependents first with propagationPolicy Foreground', async () => {
      const owner = (await call(NS, { method: 'POST', body: widget('owner3') })).json<Obj>();
      const ref = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        name: 'owner3',
        uid: owner.metadata.uid,
        blockOwnerDeletion: true,
      };
      await call(NS, {
        method: 'POST',
        body: widget('fg-dep', { size: 1 }, { ownerReferences: [ref] }),
      });
      const r = await call(`${NS}/owner3`, {
        method: 'DELETE',
        body: { propagationPolicy: 'Foreground' },
      });
      expect(r.status, r.text).to.equal(200);
      expect(r.json<Obj>().metadata['deletionTimestamp']).to.be.a('string');
      await eventually(async () => {
        expect((await call(`${NS}/fg-dep`)).status).to.equal(404);
        expect((await call(`${NS}/owner3`)).status).to.equal(404);
      });
    });
    it('empties a deleted namespace before removing it, and refuses creates into it meanwhile', async () => {
      await call('/api/v1/namespaces', {
        method: 'POST',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } },
      });
      const nsPath = '/apis/example.com/v1/namespaces/doomed/widgets';
      await call(nsPath, { method: 'POST', body: widget('inside') });
      await call(`${nsPath}/inside`, {
        method: 'PATCH',
        body: { metadata: { finalizers: ['example.com/hold'] } },
        contentType: 'application/merge-patch+json',
      });
      await call('/api/v1/namespaces/doomed', { method: 'DELETE' });
      await eventually(async () =>
        expect((await call('/api/v1/namespaces/doomed')).json<Obj>().status).to.deep.equal({
          phase: 'Terminating',
        }),
      );
      expect((await call(nsPath, { method: 'POST', body: widget('late') })).status).to.equal(403);
      await call(`${nsPath}/inside`, {
        method: 'PATCH',
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      });
      await eventually(
        async () => expect((await call('/api/v1/namespaces/doomed')).status).to.equal(404),
        15_000,
      );
      expect((await call(nsPath, { method: 'POST', body: widget('nowhere') })).status).to.equal(
        404,
      );
    });
  });
});
