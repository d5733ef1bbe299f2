import { expect } from 'chai';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  storageVersionHash,
} from '../../../../api/discovery/index.ts';
import { agents, namespaces, roles, served } from './resource-fixtures.ts';

describe('legacy discovery', () => {
  describe('apiVersions (/api)', () => {
    it('lists v1 with the address the client used', () => {
      expect(apiVersions(served(), '127.0.0.1:6443')).to.deep.equal({
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
      });
    });

    it('lists no versions when no core resource is served', () => {
      expect(apiVersions([agents()]).versions).to.deep.equal([]);
    });
  });

  describe('apiGroupList (/apis)', () => {
    it('lists non-core groups with the storage version preferred and listed first', () => {
      expect(apiGroupList(served())).to.deep.equal({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [
          {
            name: 'apiextensions.k8s.io',
            versions: [{ groupVersion: 'apiextensions.k8s.io/v1', version: 'v1' }],
            preferredVersion: { groupVersion: 'apiextensions.k8s.io/v1', version: 'v1' },
          },
          {
            name: 'corral.dev',
            versions: [
              { groupVersion: 'corral.dev/v1alpha1', version: 'v1alpha1' },
              { groupVersion: 'corral.dev/v1beta1', version: 'v1beta1' },
            ],
            preferredVersion: { groupVersion: 'corral.dev/v1alpha1', version: 'v1alpha1' },
          },
        ],
      });
    });

    it('prefers the most kube-preferred version when the storage version is not served', () => {
      const list = apiGroupList([
        agents({ version: 'v1beta1', storageVersion: 'v1' }),
        agents({ version: 'v1alpha1', storageVersion: 'v1' }),
      ]);
      expect(list.groups[0]?.preferredVersion.version).to.equal('v1beta1');
    });
  });

  describe('apiGroup (/apis/<group>)', () => {
    it('renders one group with kind and apiVersion', () => {
      expect(apiGroup(served(), 'corral.dev')).to.include({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'corral.dev',
      });
    });

    const missing: [string, string][] = [
      ['an unknown group', 'example.com'],
      ['the core group, which lives at /api', ''],
    ];
    for (const [scenario, group] of missing) {
      it(`is undefined (404) for ${scenario}`, () => {
        expect(apiGroup(served(), group)).to.equal(undefined);
      });
    }
  });

  describe('apiResourceList (/apis/<g>/<v>, /api/v1)', () => {
    it('lists each main resource before its status and scale subresources', () => {
      const list = apiResourceList([roles(), agents()], 'corral.dev', 'v1alpha1');
      expect(list?.groupVersion).to.equal('corral.dev/v1alpha1');
      expect(list?.resources.map(r => r.name)).to.deep.equal([
        'agents',
        'agents/status',
        'agents/scale',
        'roles',
      ]);
      // client-node picks the first entry whose kind matches
      expect(list?.resources.find(r => r.kind === 'Agent')?.name).to.equal('agents');
    });

    it('renders the main resource with verbs, names and a storage version hash', () => {
      const [main] = apiResourceList([agents()], 'corral.dev', 'v1alpha1')?.resources ?? [];
      expect(main).to.deep.equal({
        name: 'agents',
        singularName: 'agent',
        namespaced: true,
        kind: 'Agent',
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        shortNames: ['ag'],
        categories: ['all', 'corral'],
        storageVersionHash: storageVersionHash(agents()),
      });
    });

    it('renders status as the same kind and scale as autoscaling/v1 Scale', () => {
      const [, status, scale] =
        apiResourceList([agents()], 'corral.dev', 'v1alpha1')?.resources ?? [];
      expect(status).to.deep.equal({
        name: 'agents/status',
        singularName: '',
        namespaced: true,
        kind: 'Agent',
        verbs: ['get', 'patch', 'update'],
      });
      expect(scale).to.deep.equal({
        name: 'agents/scale',
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    });

    it('serves core v1 with groupVersion "v1" and namespaces without deletecollection', () => {
      const list = apiResourceList([namespaces()], '', 'v1');
      expect(list?.groupVersion).to.equal('v1');
      expect(list?.resources.map(r => r.name)).to.deep.equal(['namespaces', 'namespaces/status']);
      expect(list?.resources[0]).to.include({ namespaced: false, kind: 'Namespace' });
      expect(list?.resources[0]?.verbs).to.deep.equal([
        'create',
        'delete',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ]);
    });

    it('is undefined (404) for a group/version that is not served', () => {
      expect(apiResourceList(served(), 'corral.dev', 'v2')).to.equal(undefined);
    });
  });

  describe('storageVersionHash', () => {
    it("matches kube's hash of apps/v1 Deployment", () => {
      expect(
        storageVersionHash({ group: 'apps', storageVersion: 'v1', kind: 'Deployment' }),
      ).to.equal('8aSe+NMegvE=');
    });

    it('follows the storage version, not the served one', () => {
      expect(storageVersionHash(agents({ version: 'v1beta1' }))).to.equal(
        storageVersionHash(agents()),
      );
    });
  });
});
