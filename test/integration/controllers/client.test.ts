import { expect } from 'chai';
import type { Lease } from '../../../core/client/index.ts';
import {
  Client,
  builtinKinds,
  corralKinds,
  isAlreadyExists,
  isConflict,
  isNotFound,
} from '../../../core/client/index.ts';
import type { Role } from '../../../core/types/index.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';

const role = (name: string, weight: number): Role => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Role',
  metadata: { name },
  spec: { role: `team/${name}`, weight },
});

describe('core/client against the API server', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: Client;

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = Client.fromKubeConfig(api.kubeConfig, { userAgent: 'corral-test' });
  });
  after(async () => {
    await client.close();
    await api.stop();
  });

  it('creates, reads, updates, patches and deletes a Role with typed results', async () => {
    const roles = client.for(corralKinds.roles);
    const created = await roles.create(role('crud', 2));
    expect(created.metadata.uid).to.be.a('string');
    expect(created.metadata.generation).to.equal(1);
    const read = await roles.get({ name: 'crud' });
    expect(read.spec).to.deep.equal({ role: 'team/crud', weight: 2 });

    const updated = await roles.update({ ...read, spec: { ...read.spec, weight: 3 } });
    expect(updated.spec.weight).to.equal(3);
    expect(updated.metadata.generation).to.equal(2);

    const merged = await roles.patch(
      { name: 'crud' },
      { metadata: { labels: { tier: 'gold' } }, spec: { weight: 4 } },
    );
    expect(merged.spec.weight).to.equal(4);
    expect(merged.metadata.labels).to.deep.equal({ tier: 'gold' });

    const jsonPatched = await roles.patch(
      { name: 'crud' },
      [{ op: 'replace', path: '/spec/weight', value: 5 }],
      { type: 'json' },
    );
    expect(jsonPatched.spec.weight).to.equal(5);

    const list = await roles.list({ labelSelector: 'tier=gold' });
    expect(list.items.map(r => r.metadata.name)).to.deep.equal(['crud']);
    expect(list.metadata.resourceVersion).to.match(/^\d+$/);

    await roles.delete({ name: 'crud' });
    const gone = await roles.get({ name: 'crud' }).catch((e: unknown) => e);
    expect(isNotFound(gone)).to.equal(true);
  });

  it('writes status through the status subresource only', async () => {
    const roles = client.for(corralKinds.roles);
    const r = await roles.create(role('status', 1));
    const withStatus = await roles.updateStatus({
      ...r,
      spec: { ...r.spec, weight: 9 },
      status: { frameworks: 2 },
    });
    expect(withStatus.status?.frameworks).to.equal(2);
    expect(withStatus.spec.weight, 'spec is not written through /status').to.equal(1);
    const patched = await roles.patchStatus({ name: 'status' }, { status: { frameworks: 3 } });
    expect(patched.status?.frameworks).to.equal(3);
    expect(patched.metadata.generation).to.equal(1);
  });

  it('creates or updates with server-side apply', async () => {
    const roles = client.for(corralKinds.roles);
    const applied = await roles.patch(
      { name: 'ssa' },
      {
        apiVersion: 'corral.dev/v1alpha1',
        kind: 'Role',
        metadata: { name: 'ssa' },
        spec: { role: 'ssa', weight: 2 },
      },
      { type: 'apply', fieldManager: 'corral-test' },
    );
    expect(applied.spec.weight).to.equal(2);
    const again = await roles.patch(
      { name: 'ssa' },
      {
        apiVersion: 'corral.dev/v1alpha1',
        kind: 'Role',
        metadata: { name: 'ssa' },
        spec: { role: 'ssa', weight: 6 },
      },
      { type: 'apply', fieldManager: 'corral-test', force: true },
    );
    expect(again.spec.weight).to.equal(6);
    expect(
      again.metadata.managedFields?.some(
        m => m.manager === 'corral-test' && m.operation === 'Apply',
      ),
    ).to.equal(true);
  });

  it('maps AlreadyExists and a stale resourceVersion (Conflict) to typed errors', async () => {
    const roles = client.for(corralKinds.roles);
    const first = await roles.create(role('race', 1));
    const dup = await roles.create(role('race', 1)).catch((e: unknown) => e);
    expect(isAlreadyExists(dup)).to.equal(true);
    await roles.update({ ...first, spec: { ...first.spec, weight: 2 } });
    const stale = await roles
      .update({ ...first, spec: { ...first.spec, weight: 3 } })
      .catch((e: unknown) => e);
    expect(isConflict(stale)).to.equal(true);
  });

  it('reaches core/v1 Namespaces and namespaced Leases', async () => {
    const namespaces = client.for(builtinKinds.namespaces);
    await namespaces.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'client-test' },
    });
    expect((await namespaces.get({ name: 'client-test' })).metadata.name).to.equal('client-test');
    const leases = client.for(builtinKinds.leases);
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l1', namespace: 'client-test' },
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 2,
        renewTime: '2026-01-01T00:00:00.000000Z',
      },
    };
    const created = await leases.create(lease);
    expect(created.spec).to.deep.include({ holderIdentity: 'me', leaseDurationSeconds: 2 });
    const list = await leases.list({ namespace: 'client-test' });
    expect(list.items.map(l => l.metadata.name)).to.deep.equal(['l1']);
  });
});
