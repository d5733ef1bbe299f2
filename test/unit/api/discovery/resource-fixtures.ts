// ResourceInfo builders shared by the discovery and table tests: a namespaced kind with printer
// columns and status/scale subresources, a cluster kind with neither, and the built-ins.
import type { JSONSchemaProps } from '../../../../api/registry/crd-types.ts';
import type { ResourceInfo } from '../../../../api/registry/resource-info.ts';

/** agentSchema is a CRD openAPIV3Schema with spec and status. */
export const agentSchema = (): JSONSchemaProps => ({
  type: 'object',
  description: 'Agent is a machine that runs tasks.',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      description: 'AgentSpec',
      required: ['hostname'],
      properties: {
        hostname: { type: 'string' },
        replicas: { type: 'integer', format: 'int32' },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    },
    status: {
      type: 'object',
      properties: {
        phase: { type: 'string' },
        replicas: { type: 'integer' },
        startedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
});

/** agents is namespaced corral.dev/v1alpha1 Agent with printer columns, status and scale. */
export function agents(overrides: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group: 'corral.dev',
    version: 'v1alpha1',
    storageVersion: 'v1alpha1',
    plural: 'agents',
    singular: 'agent',
    kind: 'Agent',
    listKind: 'AgentList',
    shortNames: ['ag'],
    categories: ['all', 'corral'],
    namespaced: true,
    schema: agentSchema(),
    statusSubresource: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    printerColumns: [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Lifecycle phase' },
      { name: 'Started', type: 'date', jsonPath: '.status.startedAt' },
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].status',
        priority: 1,
      },
    ],
    selectableFields: [],
    deprecated: false,
    ...overrides,
  };
}

/** roles is cluster-scoped corral.dev/v1alpha1 Role: no printer columns, no subresources. */
export function roles(overrides: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group: 'corral.dev',
    version: 'v1alpha1',
    storageVersion: 'v1alpha1',
    plural: 'roles',
    singular: 'role',
    kind: 'Role',
    listKind: 'RoleList',
    shortNames: [],
    categories: [],
    namespaced: false,
    schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties: { weight: { type: 'number' } } } },
    },
    statusSubresource: false,
    printerColumns: [],
    selectableFields: [],
    deprecated: false,
    ...overrides,
  };
}

/** namespaces is the built-in core/v1 Namespace. */
export function namespaces(): ResourceInfo {
  return {
    group: '',
    version: 'v1',
    storageVersion: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    shortNames: ['ns'],
    categories: [],
    namespaced: false,
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { finalizers: { type: 'array', items: { type: 'string' } } },
        },
        status: { type: 'object', properties: { phase: { type: 'string' } } },
      },
    },
    statusSubresource: true,
    printerColumns: [],
    selectableFields: [],
    deprecated: false,
  };
}

/** crds is the built-in apiextensions.k8s.io/v1 CustomResourceDefinition. */
export function crds(): ResourceInfo {
  return {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    storageVersion: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    namespaced: false,
    schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    statusSubresource: true,
    printerColumns: [],
    selectableFields: [],
    deprecated: false,
  };
}

/** served is a whole server's worth: Agent in v1alpha1 (storage) and v1beta1, Role, built-ins. */
export function served(): ResourceInfo[] {
  return [roles(), agents({ version: 'v1beta1' }), namespaces(), agents(), crds()];
}
