import { expect } from 'chai';
import { aggregatedDiscovery } from '../../../../api/discovery/index.ts';
import { agents, namespaces, roles, served } from './resource-fixtures.ts';

describe('aggregatedDiscovery', () => {
  it('lists every non-core group under /apis, by name, as apidiscovery.k8s.io/v2', () => {
    const list = aggregatedDiscovery(served(), 'apis');
    expect(list).to.include({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
    });
    expect(list.metadata).to.deep.equal({});
    expect(list.items.map(g => g.metadata.name)).to.deep.equal([
      'apiextensions.k8s.io',
      'corral.dev',
    ]);
  });

  it('puts the storage version first even when a newer-looking version is served', () => {
    const corral = aggregatedDiscovery(served(), 'apis').items.find(
      g => g.metadata.name === 'corral.dev',
    );
    expect(corral?.versions.map(v => v.version)).to.deep.equal(['v1alpha1', 'v1beta1']);
    expect(corral?.versions.every(v => v.freshness === 'Current')).to.equal(true);
  });

  it('renders a namespaced kind with short names, categories, status and scale', () => {
    const [group] = aggregatedDiscovery([agents()], 'apis').items;
    expect(group?.versions[0]?.resources).to.deep.equal([
      {
        resource: 'agents',
        responseKind: { group: 'corral.dev', version: 'v1alpha1', kind: 'Agent' },
        scope: 'Namespaced',
        singularResource: 'agent',
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        shortNames: ['ag'],
        categories: ['all', 'corral'],
        subresources: [
          {
            subresource: 'status',
            responseKind: { group: 'corral.dev', version: 'v1alpha1', kind: 'Agent' },
            verbs: ['get', 'patch', 'update'],
          },
          {
            subresource: 'scale',
            responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
            verbs: ['get', 'patch', 'update'],
          },
        ],
      },
    ]);
  });

  it('omits empty short names, categories and subresources of a cluster kind', () => {
    const [group] = aggregatedDiscovery([roles()], 'apis').items;
    const role = group?.versions[0]?.resources[0];
    expect(role).to.include({ resource: 'roles', scope: 'Cluster' });
    expect(role).not.to.have.any.keys('shortNames', 'categories', 'subresources');
  });

  it('sorts resources of a version by name', () => {
    const [group] = aggregatedDiscovery([roles(), agents()], 'apis').items;
    expect(group?.versions[0]?.resources.map(r => r.resource)).to.deep.equal(['agents', 'roles']);
  });

  it('serves only the core group, named "", under /api', () => {
    const list = aggregatedDiscovery(served(), 'api');
    expect(list.items).to.have.length(1);
    expect(list.items[0]?.metadata).to.deep.equal({ name: '' });
    const v1 = list.items[0]?.versions[0];
    expect(v1?.version).to.equal('v1');
    expect(v1?.resources.map(r => r.resource)).to.deep.equal(['namespaces']);
    expect(v1?.resources[0]?.verbs).not.to.include('deletecollection');
  });

  it('answers /api with no groups when no core resource is served', () => {
    expect(aggregatedDiscovery([agents()], 'api').items).to.deep.equal([]);
    expect(aggregatedDiscovery([namespaces()], 'apis').items).to.deep.equal([]);
  });

  it('renders the same document as v2beta1 when asked', () => {
    const beta = aggregatedDiscovery(served(), 'apis', 'v2beta1');
    expect(beta.apiVersion).to.equal('apidiscovery.k8s.io/v2beta1');
    expect(beta.items).to.deep.equal(aggregatedDiscovery(served(), 'apis').items);
  });
});
