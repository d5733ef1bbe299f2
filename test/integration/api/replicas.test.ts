// Two API servers over one etcd key root, as the Helm chart runs them (replicas: 2): what one
// writes the other serves, watches see each other's writes, and the work both do for
// themselves (CRD serving, namespace emptying, garbage collection) converges without either
// failing on the other's racing writes.
import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { uniquePrefix } from '../../helpers/etcd.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const widgets = (ns: string): string => `/apis/example.com/v1/namespaces/${ns}/widgets`;

function widget(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, ...extra },
    spec: { size: 1 },
  };
}

function gadgetCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.org' },
    spec: {
      group: 'example.org',
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { n: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

describe('API server replicas: two servers over one etcd key root', function () {
  this.timeout(90_000);
  let a: TestApiServer;
  let b: TestApiServer;
  const on =
    (api: () => TestApiServer) =>
    (path: string, opts = {}): Promise<HttpResult> =>
      apiRequest(api(), path, opts);
  const callA = on(() => a);
  const callB = on(() => b);
  const namespace = (name: string): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });

  before(async () => {
    const root = uniquePrefix('replicas');
    // started together: both create `default` and install the CRDs of crds/ at once
    [a, b] = await Promise.all([
      startTestApiServer({ crdDir: 'test/fixtures/crds', root }),
      startTestApiServer({ crdDir: 'test/fixtures/crds', root }),
    ]);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('serves through one what was written through the other, with the same resourceVersion', async () => {
    const created = (
      await callA(widgets('default'), { method: 'POST', body: widget('w-1') })
    ).json<{
      metadata: { resourceVersion: string };
    }>();
    const read = await callB(`${widgets('default')}/w-1`);
    expect(read.status).to.equal(200);
    expect(
      read.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion,
    ).to.equal(created.metadata.resourceVersion);
  });

  it("delivers one server's writes to the other's watchers", async () => {
    const listed = (await callB(widgets('default'))).json<{
      metadata: { resourceVersion: string };
    }>();
    const from = listed.metadata.resourceVersion;
    await callA(widgets('default'), { method: 'POST', body: widget('w-watch') });
    await eventually(async () => {
      const r = await callB(
        `${widgets('default')}?watch=true&resourceVersion=${from}&timeoutSeconds=1`,
      );
      expect(r.text).to.include('"w-watch"');
    });
  });

  it('serves a CRD posted through one server on the other', async () => {
    const posted = await callA('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: gadgetCrd(),
    });
    expect(posted.status).to.equal(201);
    await eventually(async () => {
      const r = await callB('/apis/example.org/v1/namespaces/default/gadgets', {
        method: 'POST',
        body: {
          apiVersion: 'example.org/v1',
          kind: 'Gadget',
          metadata: { name: 'g-1' },
          spec: { n: 1 },
        },
      });
      expect(r.status).to.equal(201);
    });
    const crd = (
      await callB('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.org')
    ).json<{
      status?: { conditions?: { type: string; status: string }[] };
    }>();
    expect(crd.status?.conditions?.find(c => c.type === 'Established')?.status).to.equal('True');
  });

  it('empties and removes a namespace deleted through one server while both race to do it', async () => {
    expect(
      (await callA('/api/v1/namespaces', { method: 'POST', body: namespace('doomed') })).status,
    ).to.equal(201);
    await eventually(async () => {
      const r = await callB(widgets('doomed'), { method: 'POST', body: widget('d-0') });
      expect(r.status).to.equal(201);
    });
    for (let i = 1; i < 20; i++) {
      const target = i % 2 === 0 ? callA : callB;
      expect(
        (await target(widgets('doomed'), { method: 'POST', body: widget(`d-${i}`) })).status,
      ).to.equal(201);
    }
    expect((await callA('/api/v1/namespaces/doomed', { method: 'DELETE' })).status).to.equal(200);
    await eventually(async () => {
      expect((await callB('/api/v1/namespaces/doomed')).status).to.equal(404);
      expect((await callA('/api/v1/namespaces/doomed')).status).to.equal(404);
    }, 30_000);
    expect((await callA(widgets('doomed'))).json<{ items: unknown[] }>().items).to.have.length(0);
    const late = await callB(widgets('doomed'), { method: 'POST', body: widget('late') });
    expect(late.status).to.equal(404);
  });

  it('garbage-collects the dependents of an owner deleted through either server', async () => {
    const owner = (
      await callA(widgets('default'), { method: 'POST', body: widget('owner') })
    ).json<{
      metadata: { uid: string };
    }>();
    const ref = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      name: 'owner',
      uid: owner.metadata.uid,
    };
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? callA : callB;
      const r = await target(widgets('default'), {
        method: 'POST',
        body: widget(`dep-${i}`, { ownerReferences: [ref] }),
      });
      expect(r.status).to.equal(201);
    }
    expect((await callB(`${widgets('default')}/owner`, { method: 'DELETE' })).status).to.equal(200);
    await eventually(async () => {
      const left = (await callA(widgets('default'))).json<{
        items: { metadata: { name: string } }[];
      }>();
      expect(left.items.map(i => i.metadata.name).filter(n => n.startsWith('dep-'))).to.deep.equal(
        [],
      );
    }, 30_000);
  });
});
