import type { JSONSchemaProps } from './crd-types.ts';
import type { ResourceInfo } from './resource-info.ts';

const preserve: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** NAMESPACES is core/v1 Namespace, served so `kubectl create namespace` works. */
export const NAMESPACES: ResourceInfo = {
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
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: { finalizers: { type: 'array', items: { type: 'string' } } },
      },
      status: {
        type: 'object',
        properties: {
          phase: { type: 'string', enum: ['Active', 'Terminating'] },
          conditions: { type: 'array', items: preserve },
        },
      },
    },
  },
  statusSubresource: true,
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  selectableFields: ['status.phase'],
  deprecated: false,
};

/** CRDS is apiextensions.k8s.io/v1 CustomResourceDefinition, so CRDs can be applied through the API. */
export const CRDS: ResourceInfo = {
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
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: preserve,
      status: preserve,
    },
  },
  statusSubresource: true,
  printerColumns: [{ name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
  selectableFields: [],
  deprecated: false,
};

/** LEASES is coordination.k8s.io/v1 Lease, used by controllers for leader election. */
export const LEASES: ResourceInfo = {
  group: 'coordination.k8s.io',
  version: 'v1',
  storageVersion: 'v1',
  plural: 'leases',
  singular: 'lease',
  kind: 'Lease',
  listKind: 'LeaseList',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          holderIdentity: { type: 'string' },
          leaseDurationSeconds: { type: 'integer', format: 'int32' },
          acquireTime: { type: 'string', format: 'date-time' },
          renewTime: { type: 'string', format: 'date-time' },
          leaseTransitions: { type: 'integer', format: 'int32' },
        },
      },
    },
  },
  statusSubresource: false,
  printerColumns: [
    { name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  selectableFields: [],
  deprecated: false,
};

/** BUILTINS are served whatever CRDs exist. */
export const BUILTINS: readonly ResourceInfo[] = [NAMESPACES, CRDS, LEASES];
