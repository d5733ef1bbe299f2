// The fields kube keeps in an object's metadata, and in the two structured lists inside it.
// Anything else under `metadata` is dropped, as kube's ObjectMeta round-trip drops it.

/** TYPE_META_FIELDS are the keys a resource root (or embedded resource) keeps whatever its schema. */
export const TYPE_META_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/** OBJECT_META_FIELDS are the standard ObjectMeta fields. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'managedFields',
]);

/** OWNER_REFERENCE_FIELDS are the fields of one ownerReferences entry. */
export const OWNER_REFERENCE_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'kind',
  'name',
  'uid',
  'controller',
  'blockOwnerDeletion',
]);

/** MANAGED_FIELDS_ENTRY_FIELDS are the fields of one managedFields entry (fieldsV1 is free-form). */
export const MANAGED_FIELDS_ENTRY_FIELDS: ReadonlySet<string> = new Set([
  'manager',
  'operation',
  'apiVersion',
  'time',
  'fieldsType',
  'fieldsV1',
  'subresource',
]);
