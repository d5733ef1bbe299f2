// The meta/v1 component schemas every per-group/version document carries, so `$ref`s resolve and
// `kubectl explain <kind>.metadata` has something to print. Descriptions are the first
// sentences of kube's.
import { META_PREFIX, schemaRef } from './openapi-names.ts';
import { bool, int, ref, str, strMap } from './openapi-schema-builders.ts';
import { SCALE_SCHEMAS, STATUS_SCHEMAS } from './openapi-status-schemas.ts';
import type { SchemaObject } from './openapi-types.ts';

const TIME = `${META_PREFIX}Time`;

const objectMeta: SchemaObject = {
  type: 'object',
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  properties: {
    annotations: strMap(
      'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
    ),
    creationTimestamp: ref(
      TIME,
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
    deletionGracePeriodSeconds: int(
      'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.',
    ),
    deletionTimestamp: ref(
      TIME,
      'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
    ),
    finalizers: {
      type: 'array',
      items: { type: 'string', default: '' },
      'x-kubernetes-list-type': 'set',
      description: 'Must be empty before the object is deleted from the registry.',
    },
    generateName: str(
      'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
    ),
    generation: int('A sequence number representing a specific generation of the desired state.'),
    labels: strMap(
      'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
    ),
    managedFields: {
      type: 'array',
      items: schemaRef(`${META_PREFIX}ManagedFieldsEntry`),
      'x-kubernetes-list-type': 'atomic',
      description:
        'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
    },
    name: str('Name must be unique within a namespace.'),
    namespace: str('Namespace defines the space within which each name must be unique.'),
    ownerReferences: {
      type: 'array',
      items: schemaRef(`${META_PREFIX}OwnerReference`),
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
      description: 'List of objects depended by this object.',
    },
    resourceVersion: str('An opaque value that represents the internal version of this object.'),
    uid: str('UID is the unique in time and space value for this object.'),
  },
};

const ownerReference: SchemaObject = {
  type: 'object',
  description: 'OwnerReference contains enough information to let you identify an owning object.',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  properties: {
    apiVersion: str('API version of the referent.'),
    blockOwnerDeletion: bool(
      'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
    ),
    controller: bool('If true, this reference points to the managing controller.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
  },
};

const managedFieldsEntry: SchemaObject = {
  type: 'object',
  description:
    'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
  properties: {
    apiVersion: str(
      'APIVersion defines the version of this resource that this field set applies to.',
    ),
    fieldsType: str('FieldsType is the discriminator for the different fields format and version.'),
    fieldsV1: ref(
      `${META_PREFIX}FieldsV1`,
      'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
    ),
    manager: str('Manager is an identifier of the workflow managing these fields.'),
    operation: str(
      "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
    ),
    subresource: str(
      'Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.',
    ),
    time: ref(TIME, 'Time is the timestamp of when the ManagedFields entry was added.'),
  },
};

const listMeta: SchemaObject = {
  type: 'object',
  description:
    'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  properties: {
    continue: str(
      'continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available.',
    ),
    remainingItemCount: int(
      'remainingItemCount is the number of subsequent items in the list which are not included in this list response.',
    ),
    resourceVersion: str(
      "String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed.",
    ),
  },
};

/**
 * metaSchemas returns fresh copies of the meta/v1 component schemas (ObjectMeta, ListMeta,
 * Status, DeleteOptions, Patch and what they reference), plus autoscaling/v1 Scale when a kind
 * of the document has a scale subresource.
 */
export function metaSchemas(withScale: boolean): Record<string, SchemaObject> {
  return structuredClone({
    [`${META_PREFIX}FieldsV1`]: {
      type: 'object',
      description:
        'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    },
    [`${META_PREFIX}ListMeta`]: listMeta,
    [`${META_PREFIX}ManagedFieldsEntry`]: managedFieldsEntry,
    [`${META_PREFIX}ObjectMeta`]: objectMeta,
    [`${META_PREFIX}OwnerReference`]: ownerReference,
    [TIME]: {
      type: 'string',
      format: 'date-time',
      description:
        'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
    },
    ...STATUS_SCHEMAS,
    ...(withScale ? SCALE_SCHEMAS : {}),
  });
}
