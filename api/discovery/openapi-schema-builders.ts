// Small builders of the schema nodes the meta and status component schemas are made of.
import { schemaRef } from './openapi-names.ts';
import type { SchemaObject } from './openapi-types.ts';

/** str is a string property. */
export const str = (description: string): SchemaObject => ({ type: 'string', description });
/** int is an integer property (int64 unless told). */
export const int = (description: string, format = 'int64'): SchemaObject => ({
  type: 'integer',
  format,
  description,
});
/** bool is a boolean property. */
export const bool = (description: string): SchemaObject => ({ type: 'boolean', description });
/**
 * ref is a property holding a component schema. The `$ref` sits in an `allOf`, as kube writes
 * it, because OpenAPI 3.0 ignores siblings of a bare `$ref` and kubectl explain would then show
 * the referenced type's description instead of the field's.
 */
export const ref = (model: string, description: string): SchemaObject => ({
  allOf: [schemaRef(model)],
  description,
});
/** strMap is a string-to-string map property. */
export const strMap = (description: string): SchemaObject => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  description,
});

/** API_VERSION_PROPERTY is TypeMeta's apiVersion, as kube puts it on every kind. */
export const API_VERSION_PROPERTY: SchemaObject = str(
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
);

/** KIND_PROPERTY is TypeMeta's kind, as kube puts it on every kind. */
export const KIND_PROPERTY: SchemaObject = str(
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
);
