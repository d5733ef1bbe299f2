import { expect } from 'chai';
import {
  openApiGroupVersion,
  openApiIndex,
  serializedGroupVersion,
} from '../../../../api/discovery/index.ts';
import type { OpenApiDocument } from '../../../../api/discovery/index.ts';
import { agents, agentSchema, crds, namespaces, roles, served } from './resource-fixtures.ts';

const AGENT_GVK = { group: 'corral.dev', version: 'v1alpha1', kind: 'Agent' };
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

function doc(group = 'corral.dev', version = 'v1alpha1', resources = served()): OpenApiDocument {
  const d = openApiGroupVersion(resources, group, version);
  if (d === undefined) throw new Error(`no document for ${group}/${version}`);
  return d;
}

/** at walks into a JSON value by keys. */
function at(v: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (x, k) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[k] : undefined),
    v,
  );
}

/** refs collects every `$ref` string in a JSON value. */
function refs(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(refs);
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) =>
    k === '$ref' && typeof x === 'string' ? [x] : refs(x),
  );
}

describe('openApiIndex', () => {
  it('lists every served group/version with a URL carrying an uppercase sha512 hash', () => {
    const index = openApiIndex(served());
    expect(Object.keys(index.paths)).to.deep.equal([
      'api/v1',
      'apis/apiextensions.k8s.io/v1',
      'apis/corral.dev/v1alpha1',
      'apis/corral.dev/v1beta1',
    ]);
    const url = index.paths['apis/corral.dev/v1alpha1']?.serverRelativeURL ?? '';
    expect(url).to.match(/^\/openapi\/v3\/apis\/corral\.dev\/v1alpha1\?hash=[0-9A-F]{128}$/);
    expect(index.paths['api/v1']?.serverRelativeURL).to.match(/^\/openapi\/v3\/api\/v1\?hash=/);
  });

  it('changes the hash of a group/version when one of its schemas changes, and only that one', () => {
    const before = openApiIndex(served()).paths;
    const changed = agentSchema();
    changed.properties = { ...changed.properties, extra: { type: 'string' } };
    const after = openApiIndex([
      ...served().filter(r => r.version !== 'v1alpha1' || r.plural !== 'agents'),
      agents({ schema: changed }),
    ]).paths;
    expect(after['apis/corral.dev/v1alpha1']).not.to.deep.equal(before['apis/corral.dev/v1alpha1']);
    expect(after['apis/corral.dev/v1beta1']).to.deep.equal(before['apis/corral.dev/v1beta1']);
    expect(after['api/v1']).to.deep.equal(before['api/v1']);
  });

  it('keeps the hash when the same resources are listed in another order', () => {
    expect(openApiIndex([...served()].reverse())).to.deep.equal(openApiIndex(served()));
  });
});

describe('serializedGroupVersion', () => {
  it('serializes once per resources array and hashes the JSON text', () => {
    const resources = served();
    const first = serializedGroupVersion(resources, 'corral.dev', 'v1alpha1');
    expect(serializedGroupVersion(resources, 'corral.dev', 'v1alpha1')).to.equal(first);
    expect(JSON.parse(first?.json ?? '')).to.deep.equal(doc());
    expect(openApiIndex(resources).paths['apis/corral.dev/v1alpha1']?.serverRelativeURL).to.contain(
      first?.hash,
    );
  });

  it('is undefined (404) for a group/version that is not served', () => {
    expect(serializedGroupVersion(served(), 'corral.dev', 'v9')).to.equal(undefined);
    expect(openApiGroupVersion(served(), 'example.com', 'v1')).to.equal(undefined);
  });
});

describe('openApiGroupVersion', () => {
  it('is an OpenAPI 3.0 document', () => {
    expect(doc()).to.include({ openapi: '3.0.0' });
  });

  it('has the collection, item, status and scale paths of a namespaced kind', () => {
    const d = doc();
    const base = '/apis/corral.dev/v1alpha1';
    const ns = `${base}/namespaces/{namespace}/agents`;
    const methods = (p: string): string[] =>
      Object.keys(d.paths[p] ?? {}).filter(k => k !== 'parameters');
    expect(methods(`${base}/agents`)).to.deep.equal(['get']);
    expect(methods(ns)).to.have.members(['get', 'post', 'delete']);
    expect(methods(`${ns}/{name}`)).to.have.members(['get', 'put', 'patch', 'delete']);
    expect(methods(`${ns}/{name}/status`)).to.have.members(['get', 'put', 'patch']);
    expect(methods(`${ns}/{name}/scale`)).to.have.members(['get', 'put', 'patch']);
    expect(d.paths[`${ns}/{name}`]?.parameters.map(p => p.name)).to.deep.equal([
      'name',
      'namespace',
      'pretty',
    ]);
  });

  it('has only cluster paths for a cluster kind without subresources', () => {
    const paths = Object.keys(doc().paths).filter(p => p.includes('roles'));
    expect(paths).to.deep.equal([
      '/apis/corral.dev/v1alpha1/roles',
      '/apis/corral.dev/v1alpha1/roles/{name}',
    ]);
  });

  it('gives every PATCH the GVK object, fieldValidation and exactly the three non-strategic patch types', () => {
    const d = doc();
    const patches = Object.entries(d.paths).filter(([p]) => p.includes('agents/{name}'));
    expect(patches).to.have.length(3);
    for (const [, item] of patches) {
      const op = item.patch;
      expect(op?.['x-kubernetes-group-version-kind']).to.deep.equal(AGENT_GVK);
      expect(op?.['x-kubernetes-action']).to.equal('patch');
      const query = (op?.parameters ?? []).filter(p => p.in === 'query').map(p => p.name);
      expect(query).to.include.members(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
      expect(Object.keys(op?.requestBody?.content ?? {})).to.deep.equal([
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]);
    }
  });

  it('never mentions strategic merge patch in any document', () => {
    for (const key of Object.keys(openApiIndex(served()).paths)) {
      const [group, version] = key.startsWith('api/') ? ['', 'v1'] : key.split('/').slice(1);
      expect(serializedGroupVersion(served(), group ?? '', version ?? '')?.json).not.to.contain(
        'strategic',
      );
    }
  });

  it('tags every operation with its action, GVK, kube-style id and group/version tag', () => {
    const d = doc();
    const ops = Object.values(d.paths).flatMap(p =>
      [p.get, p.post, p.put, p.patch, p.delete].flatMap(o => o ?? []),
    );
    expect(ops.every(o => o.tags[0] === 'corralDev_v1alpha1')).to.equal(true);
    const ids = ops.map(o => o.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.include.members([
      'listCorralDevV1alpha1AgentForAllNamespaces',
      'listCorralDevV1alpha1NamespacedAgent',
      'createCorralDevV1alpha1NamespacedAgent',
      'deleteCorralDevV1alpha1CollectionNamespacedAgent',
      'patchCorralDevV1alpha1NamespacedAgent',
      'readCorralDevV1alpha1NamespacedAgentStatus',
      'replaceCorralDevV1alpha1NamespacedAgentScale',
      'listCorralDevV1alpha1Role',
    ]);
    const post = d.paths['/apis/corral.dev/v1alpha1/namespaces/{namespace}/agents']?.post;
    expect(post).to.include({ 'x-kubernetes-action': 'post', description: 'create an Agent' });
    expect(post?.parameters?.map(p => p.name)).to.include('fieldValidation');
  });

  it('describes the kind from its CRD schema with the GVK array and ObjectMeta', () => {
    const agent = doc().components.schemas['dev.corral.v1alpha1.Agent'];
    expect(at(agent, 'x-kubernetes-group-version-kind')).to.deep.equal([AGENT_GVK]);
    expect(at(agent, 'type')).to.equal('object');
    expect(at(agent, 'description')).to.equal('Agent is a machine that runs tasks.');
    expect(at(agent, 'properties', 'metadata', '$ref')).to.equal(
      `#/components/schemas/${META}ObjectMeta`,
    );
    expect(at(agent, 'properties', 'apiVersion', 'type')).to.equal('string');
    expect(at(agent, 'properties', 'spec', 'required')).to.deep.equal(['hostname']);
    expect(at(agent, 'properties', 'spec', 'properties', 'replicas')).to.deep.equal({
      type: 'integer',
      format: 'int32',
    });
    expect(at(agent, 'properties', 'status', 'properties', 'phase')).to.deep.equal({
      type: 'string',
    });
  });

  it('gives embedded resources apiVersion, kind and metadata', () => {
    const agent = doc().components.schemas['dev.corral.v1alpha1.Agent'];
    const template = at(agent, 'properties', 'spec', 'properties', 'template');
    expect(at(template, 'properties', 'metadata', '$ref')).to.equal(
      `#/components/schemas/${META}ObjectMeta`,
    );
    expect(at(template, 'required')).to.have.members(['kind', 'apiVersion']);
    expect(at(template, 'x-kubernetes-preserve-unknown-fields')).to.equal(true);
  });

  it('has the list kind and the meta schemas kubectl explain follows', () => {
    const schemas = doc().components.schemas;
    const list = schemas['dev.corral.v1alpha1.AgentList'];
    expect(at(list, 'x-kubernetes-group-version-kind')).to.deep.equal([
      { ...AGENT_GVK, kind: 'AgentList' },
    ]);
    expect(at(list, 'properties', 'items', 'items', '$ref')).to.equal(
      '#/components/schemas/dev.corral.v1alpha1.Agent',
    );
    for (const name of ['ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'Patch']) {
      expect(schemas).to.have.property(`${META}${name}`);
    }
    expect(schemas).to.have.property('io.k8s.api.autoscaling.v1.Scale');
    expect(schemas).to.have.property('dev.corral.v1alpha1.Role');
  });

  it('leaves Scale out of a group/version without scale subresources', () => {
    expect(doc('corral.dev', 'v1alpha1', [roles()]).components.schemas).not.to.have.property(
      'io.k8s.api.autoscaling.v1.Scale',
    );
  });

  it('resolves every $ref inside the document', () => {
    for (const d of [doc(), doc('', 'v1'), doc('apiextensions.k8s.io', 'v1')]) {
      for (const ref of refs(d)) {
        expect(d.components.schemas, ref).to.have.property(
          ref.replace('#/components/schemas/', ''),
        );
      }
    }
  });

  it('covers built-in namespaces in api/v1, whose PATCH kubectl probes for CRD kinds', () => {
    const d = doc('', 'v1', [namespaces(), agents()]);
    expect(Object.keys(d.paths)).to.deep.equal([
      '/api/v1/namespaces',
      '/api/v1/namespaces/{name}',
      '/api/v1/namespaces/{name}/status',
    ]);
    expect(d.paths['/api/v1/namespaces']?.delete).to.equal(undefined);
    const patch = d.paths['/api/v1/namespaces/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).to.deep.equal({
      group: '',
      version: 'v1',
      kind: 'Namespace',
    });
    expect(patch?.operationId).to.equal('patchCoreV1Namespace');
    expect(patch?.parameters?.some(p => p.name === 'fieldValidation' && p.in === 'query')).to.equal(
      true,
    );
    expect(d.components.schemas).to.have.property('io.k8s.api.core.v1.Namespace');
  });

  it('names built-in CRD schemas as kube does', () => {
    expect(doc('apiextensions.k8s.io', 'v1', [crds()]).components.schemas).to.have.property(
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    );
  });
});
