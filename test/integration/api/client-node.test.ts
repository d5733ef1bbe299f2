import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

const CRD_DIR = 'test/fixtures/crds';
type Obj = k8s.KubernetesObject & Record<string, unknown>;
const G = { group: 'example.com', version: 'v1', plural: 'widgets' };

function widget(
  name: string,
  size: number,
  extra: Record<string, unknown> = {},
): k8s.KubernetesObject & Record<string, unknown> {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { size, ...extra },
  };
}

describe('@kubernetes/client-node 2.x against the API server', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let objects: k8s.KubernetesObjectApi;
  let custom: k8s.CustomObjectsApi;

  before(async () => {
    api = await startTestApiServer({ crdDir: CRD_DIR, watchCacheCapacity: 50, maxWatchSeconds: 2 });
    objects = k8s.KubernetesObjectApi.makeApiClient(api.kubeConfig);
    custom = api.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  });
  after(() => api.stop());

  it('creates, reads, merge-patches and deletes with KubernetesObjectApi', async () => {
    const created = await objects.create(widget('ko-1', 3));
    expect(created.metadata?.uid).to.be.a('string');
    expect(created.metadata?.resourceVersion).to.match(/^\d+$/);
    const read = await objects.read<Obj>({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'ko-1', namespace: 'default' },
    });
    expect(read['spec']).to.deep.equal({ size: 3, replicas: 1 });
    const patched = (await objects.patch(
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'ko-1', namespace: 'default' },
        spec: { color: 'red' },
      } as k8s.KubernetesObject,
      undefined,
      undefined,
      'test',
      undefined,
      k8s.PatchStrategy.MergePatch,
    )) as Record<string, unknown> & k8s.KubernetesObject;
    expect(patched['spec']).to.deep.equal({ size: 3, replicas: 1, color: 'red' });
    expect(patched.metadata?.generation).to.equal(2);
    await objects.delete({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'ko-1', namespace: 'default' },
    });
    const err = await objects
      .read({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'ko-1', namespace: 'default' },
      })
      .catch((e: unknown) => e);
    expect((err as k8s.ApiException<unknown>).code).to.equal(404);
  });

  it('creates with server-side apply when the object is missing (201) and updates on re-apply', async () => {
    const obj = widget('ssa-1', 5);
    const first = await objects.patch<Obj>(
      obj,
      undefined,
      undefined,
      'tester',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(first['spec']).to.deep.include({ size: 5 });
    const again = await objects.patch<Obj>(
      widget('ssa-1', 6),
      undefined,
      undefined,
      'tester',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect((again['spec'] as { size: number }).size).to.equal(6);
    expect(
      again.metadata?.managedFields?.some(m => m.manager === 'tester' && m.operation === 'Apply'),
    ).to.equal(true);
  });

  it('lists with CustomObjectsApi, with label selectors and pages', async () => {
    for (let i = 0; i < 5; i++) {
      await custom.createNamespacedCustomObject({
        ...G,
        namespace: 'default',
        body: {
          ...widget(`page-${i}`, i),
          metadata: { name: `page-${i}`, labels: { batch: 'p' } },
        },
      });
    }
    const all = (await custom.listNamespacedCustomObject({
      ...G,
      namespace: 'default',
      labelSelector: 'batch=p',
    })) as { items: unknown[]; metadata: { resourceVersion: string } };
    expect(all.items).to.have.length(5);
    expect(all.metadata.resourceVersion).to.match(/^\d+$/);
    const first = (await custom.listNamespacedCustomObject({
      ...G,
      namespace: 'default',
      labelSelector: 'batch=p',
      limit: 2,
    })) as { items: unknown[]; metadata: { continue?: string } };
    expect(first.items).to.have.length(2);
    expect(first.metadata.continue).to.be.a('string');
    const second = (await custom.listNamespacedCustomObject({
      ...G,
      namespace: 'default',
      labelSelector: 'batch=p',
      limit: 10,
      _continue: first.metadata.continue ?? '',
    })) as { items: unknown[]; metadata: { continue?: string } };
    expect(second.items).to.have.length(3);
    expect(second.metadata.continue ?? '').to.equal('');
  });

  it('rejects a schema violation with 422 and the failing field paths', async () => {
    const err: unknown = await custom
      .createNamespacedCustomObject({
        ...G,
        namespace: 'default',
        body: widget('bad-1', 500, { color: 'pink' }),
      })
      .catch((e: unknown) => e as k8s.ApiException<string>);
    expect((err as k8s.ApiException<string>).code).to.equal(422);
    const body = JSON.parse((err as k8s.ApiException<string>).body) as {
      reason: string;
      details: { causes: { field: string }[] };
    };
    expect(body.reason).to.equal('Invalid');
    expect(body.details.causes.map(c => c.field)).to.include.members(['spec.size', 'spec.color']);
  });

  it('runs an informer that sees add, update and delete, and relists after a 410', async () => {
    const seen: string[] = [];
    let lists = 0;
    const path = '/apis/example.com/v1/namespaces/default/widgets';
    const listFn = (): Promise<k8s.KubernetesListObject<k8s.KubernetesObject>> => {
      lists += 1;
      return custom.listNamespacedCustomObject({
        ...G,
        namespace: 'default',
        labelSelector: 'inf=yes',
      }) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>;
    };
    const informer = k8s.makeInformer(api.kubeConfig, path, listFn, 'inf=yes');
    informer.on('add', o => seen.push(`add:${o.metadata?.name ?? ''}`));
    informer.on('update', o => seen.push(`update:${o.metadata?.name ?? ''}`));
    informer.on('delete', o => seen.push(`delete:${o.metadata?.name ?? ''}`));
    informer.on('error', () => setTimeout(() => void informer.start(), 200));
    await informer.start();
    try {
      const body = { ...widget('inf-1', 1), metadata: { name: 'inf-1', labels: { inf: 'yes' } } };
      await custom.createNamespacedCustomObject({ ...G, namespace: 'default', body });
      await eventually(() => expect(seen).to.include('add:inf-1'));
      await custom.patchNamespacedCustomObject({
        ...G,
        namespace: 'default',
        name: 'inf-1',
        body: [{ op: 'replace', path: '/spec/size', value: 2 }],
      });
      await eventually(() => expect(seen).to.include('update:inf-1'));
      await custom.deleteNamespacedCustomObject({ ...G, namespace: 'default', name: 'inf-1' });
      await eventually(() => expect(seen).to.include('delete:inf-1'));
      // Push the informer's last resourceVersion out of the 50-event watch cache with objects it
      // does not select; its watch is closed by the server after 2 s and resumes from that stale
      // revision, gets 410 Expired, and must relist.
      const listsBefore = lists;
      for (let i = 0; i < 80; i++)
        await custom.createNamespacedCustomObject({
          ...G,
          namespace: 'default',
          body: widget(`noise-${i}`, 1),
        });
      await eventually(() => expect(lists).to.be.greaterThan(listsBefore), 20_000);
      const body2 = { ...widget('inf-2', 1), metadata: { name: 'inf-2', labels: { inf: 'yes' } } };
      await custom.createNamespacedCustomObject({ ...G, namespace: 'default', body: body2 });
      await eventually(() => expect(seen).to.include('add:inf-2'), 20_000);
    } finally {
      await informer.stop();
    }
  });
});
