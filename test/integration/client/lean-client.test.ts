import { expect } from 'chai';
import type { Role } from '../../../core/types/index.ts';
import { Client, corralKinds } from '../../../core/client/index.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';

const role = (name: string, weight: number): Role => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Role',
  metadata: { name, labels: { lean: 'yes' } },
  spec: { role: name, weight },
});

// A client made with omitManagedFields gets every object without metadata.managedFields (the
// answers to reads and writes, lists, watches); the server still keeps and records them.
describe('Client with omitManagedFields against the API server', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let full: Client;
  let lean: Client;

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    full = Client.fromKubeConfig(api.kubeConfig, { userAgent: 'full/test' });
    lean = Client.fromKubeConfig(api.kubeConfig, {
      userAgent: 'lean/test',
      omitManagedFields: true,
    });
  });
  after(async () => {
    await lean.close();
    await full.close();
    await api.stop();
  });

  it('answers creates, updates, patches, gets and lists without managedFields', async () => {
    const roles = lean.for(corralKinds.roles);
    const made = await roles.create(role('lean-a', 1));
    expect(made.metadata).to.not.have.property('managedFields');
    expect(made.metadata.resourceVersion).to.be.a('string');
    const updated = await roles.update({ ...made, spec: { ...made.spec, weight: 2 } });
    expect(updated.metadata).to.not.have.property('managedFields');
    const patched = await roles.patch({ name: 'lean-a' }, { spec: { weight: 3 } });
    expect(patched.metadata).to.not.have.property('managedFields');
    expect(patched.spec.weight).to.equal(3);
    const got = await roles.get({ name: 'lean-a' });
    expect(got).to.deep.equal(patched);
    const listed = await roles.list({ labelSelector: 'lean=yes' });
    expect(listed.items.map(r => r.metadata.managedFields)).to.deep.equal([undefined]);

    // what a full client reads: the same object with its managers, the lean client's writes
    // recorded against them
    const stored = await full.for(corralKinds.roles).get({ name: 'lean-a' });
    const { managedFields, ...rest } = stored.metadata;
    expect({ ...stored, metadata: rest }).to.deep.equal(got);
    expect(managedFields?.map(m => m.manager)).to.deep.equal(['lean']);
  });

  it('still gives the managedFields to a client that does not ask', async () => {
    const made = await full.for(corralKinds.roles).create(role('full-a', 1));
    expect(made.metadata.managedFields?.map(m => m.manager)).to.deep.equal(['full']);
  });
});
