// Component schemas of the request and response bodies around the kinds: Status, DeleteOptions,
// Patch, and autoscaling/v1 Scale for kinds with a scale subresource.
import { META_PREFIX, SCALE_MODEL, schemaRef } from './openapi-names.ts';
import {
  API_VERSION_PROPERTY,
  bool,
  int,
  KIND_PROPERTY,
  ref,
  str,
} from './openapi-schema-builders.ts';
import type { SchemaObject } from './openapi-types.ts';

const status: SchemaObject = {
  type: 'object',
  description: 'Status is a return value for calls that do not return other objects.',
  properties: {
    apiVersion: API_VERSION_PROPERTY,
    code: int('Suggested HTTP return code for this status, 0 if not set.', 'int32'),
    details: ref(`${META_PREFIX}StatusDetails`, 'Extended data associated with the reason.'),
    kind: KIND_PROPERTY,
    message: str('A human-readable description of the status of this operation.'),
    metadata: ref(`${META_PREFIX}ListMeta`, 'Standard list metadata.'),
    reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
    status: str('Status of the operation. One of: "Success" or "Failure".'),
  },
};

const statusDetails: SchemaObject = {
  type: 'object',
  description:
    'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
  properties: {
    causes: {
      type: 'array',
      items: schemaRef(`${META_PREFIX}StatusCause`),
      'x-kubernetes-list-type': 'atomic',
      description:
        'The Causes array includes more details associated with the StatusReason failure.',
    },
    group: str('The group attribute of the resource associated with the status StatusReason.'),
    kind: str('The kind attribute of the resource associated with the status StatusReason.'),
    name: str(
      'The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).',
    ),
    retryAfterSeconds: int(
      'If specified, the time in seconds before the operation should be retried.',
      'int32',
    ),
    uid: str('UID of the resource.'),
  },
};

const statusCause: SchemaObject = {
  type: 'object',
  description:
    'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
  properties: {
    field: str(
      'The field of the resource that has caused this error, as named by its JSON serialization.',
    ),
    message: str('A human-readable description of the cause of the error.'),
    reason: str('A machine-readable description of the cause of the error.'),
  },
};

const deleteOptions: SchemaObject = {
  type: 'object',
  description: 'DeleteOptions may be provided when deleting an API object.',
  properties: {
    apiVersion: API_VERSION_PROPERTY,
    dryRun: {
      type: 'array',
      items: { type: 'string', default: '' },
      'x-kubernetes-list-type': 'atomic',
      description: 'When present, indicates that modifications should not be persisted.',
    },
    gracePeriodSeconds: int('The duration in seconds before the object should be deleted.'),
    kind: KIND_PROPERTY,
    orphanDependents: bool(
      'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.',
    ),
    preconditions: ref(
      `${META_PREFIX}Preconditions`,
      'Must be fulfilled before a deletion is carried out.',
    ),
    propagationPolicy: str(
      "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background' and 'Foreground'.",
    ),
  },
};

const preconditions: SchemaObject = {
  type: 'object',
  description:
    'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
  properties: {
    resourceVersion: str('Specifies the target ResourceVersion'),
    uid: str('Specifies the target UID.'),
  },
};

/** SCALE_SCHEMAS are autoscaling/v1 Scale and its spec and status. */
export const SCALE_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  [SCALE_MODEL]: {
    type: 'object',
    description: 'Scale represents a scaling request for a resource.',
    properties: {
      apiVersion: API_VERSION_PROPERTY,
      kind: KIND_PROPERTY,
      metadata: ref(`${META_PREFIX}ObjectMeta`, 'Standard object metadata.'),
      spec: ref(`${SCALE_MODEL}Spec`, 'spec defines the behavior of the scale.'),
      status: ref(`${SCALE_MODEL}Status`, 'status is the current status of the scale.'),
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  },
  [`${SCALE_MODEL}Spec`]: {
    type: 'object',
    description: 'ScaleSpec describes the attributes of a scale subresource.',
    properties: {
      replicas: int('replicas is the desired number of instances for the scaled object.', 'int32'),
    },
  },
  [`${SCALE_MODEL}Status`]: {
    type: 'object',
    description: 'ScaleStatus represents the current status of a scale subresource.',
    required: ['replicas'],
    properties: {
      replicas: int(
        'replicas is the actual number of observed instances of the scaled object.',
        'int32',
      ),
      selector: str('selector is the label query over pods that should match the replicas count.'),
    },
  },
};

/** STATUS_SCHEMAS are meta/v1 Status, DeleteOptions, Patch and the schemas they reference. */
export const STATUS_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  [`${META_PREFIX}DeleteOptions`]: deleteOptions,
  [`${META_PREFIX}Patch`]: {
    type: 'object',
    description:
      'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [`${META_PREFIX}Preconditions`]: preconditions,
  [`${META_PREFIX}Status`]: status,
  [`${META_PREFIX}StatusCause`]: statusCause,
  [`${META_PREFIX}StatusDetails`]: statusDetails,
};
