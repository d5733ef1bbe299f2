// The component schemas of one kind, generated from its CRD schema the way apiextensions'
// OpenAPI builder does: TypeMeta and a `$ref` to ObjectMeta at the root (and in every embedded
// resource), the GVK extension (an array), and a `<Kind>List` schema beside it.
import type { JSONSchemaProps } from '../registry/crd-types.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { API_VERSION_PROPERTY, KIND_PROPERTY } from './openapi-schema-builders.ts';
import { META_PREFIX, modelName, schemaRef } from './openapi-names.ts';
import type { SchemaObject } from './openapi-types.ts';

const OBJECT_META_REF = (): SchemaObject => ({
  ...schemaRef(`${META_PREFIX}ObjectMeta`),
  description:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
});

/** withTypeMeta sets apiVersion, kind and metadata on an object schema (root or embedded). */
function withTypeMeta(s: SchemaObject): SchemaObject {
  const properties = (s.properties ?? {}) as Record<string, SchemaObject>;
  return {
    ...s,
    type: 'object',
    properties: {
      ...properties,
      apiVersion: structuredClone(API_VERSION_PROPERTY),
      kind: structuredClone(KIND_PROPERTY),
      metadata: OBJECT_META_REF(),
    },
  };
}

/** embedded marks the nested objects that are whole resources, recursively. */
function embedded(s: JSONSchemaProps): SchemaObject {
  const out: SchemaObject = { ...s };
  if (s.properties !== undefined) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, embedded(v)]),
    );
  }
  if (s.items !== undefined) out.items = embedded(s.items);
  if (typeof s.additionalProperties === 'object') {
    out.additionalProperties = embedded(s.additionalProperties);
  }
  if (s['x-kubernetes-embedded-resource'] !== true) return out;
  const required = new Set([...(s.required ?? []), 'kind', 'apiVersion']);
  return { ...withTypeMeta(out), required: [...required] };
}

const gvkExtension = (
  r: Pick<ResourceInfo, 'group' | 'version'>,
  kind: string,
): Record<string, unknown> => ({
  'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind }],
});

/** kindSchema is the component schema of r's kind, from its CRD `openAPIV3Schema`. */
export function kindSchema(r: ResourceInfo): SchemaObject {
  const root = embedded(structuredClone(r.schema));
  // the CRD may restrict metadata.name; the document still points at the shared ObjectMeta
  return { ...withTypeMeta(root), ...gvkExtension(r, r.kind) };
}

/** listSchema is the component schema of r's `<Kind>List`. */
export function listSchema(r: ResourceInfo): SchemaObject {
  return {
    type: 'object',
    description: `${r.listKind} is a list of ${r.kind}`,
    required: ['items'],
    properties: {
      apiVersion: structuredClone(API_VERSION_PROPERTY),
      items: {
        type: 'array',
        description: `List of ${r.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: schemaRef(modelName(r.group, r.version, r.kind)),
      },
      kind: structuredClone(KIND_PROPERTY),
      metadata: {
        ...schemaRef(`${META_PREFIX}ListMeta`),
        description:
          'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    ...gvkExtension(r, r.listKind),
  };
}

/** kindSchemas returns r's kind and list schemas keyed by their model names. */
export function kindSchemas(r: ResourceInfo): Record<string, SchemaObject> {
  return {
    [modelName(r.group, r.version, r.kind)]: kindSchema(r),
    [modelName(r.group, r.version, r.listKind)]: listSchema(r),
  };
}
