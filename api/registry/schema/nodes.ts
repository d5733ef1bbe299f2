// Accessors over one schema node that prune, default and validate share.
import type { JSONSchemaProps } from '../crd-types.ts';

/** propOf is s.properties[k] when k is an own property (so never `constructor` and friends). */
export function propOf(s: JSONSchemaProps | undefined, k: string): JSONSchemaProps | undefined {
  const props = s?.properties;
  return props !== undefined && Object.hasOwn(props, k) ? props[k] : undefined;
}

/**
 * mapValuesOf is the schema for keys outside `properties`: the additionalProperties schema;
 * `undefined` for `additionalProperties: true` (kube keeps such keys but knows nothing of their
 * values); null when such keys are unknown fields.
 */
export function mapValuesOf(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined | null {
  const ap = s?.additionalProperties;
  if (ap === undefined || ap === false) return null;
  return ap === true ? undefined : ap;
}

/** preservesUnknown tells whether s sets `x-kubernetes-preserve-unknown-fields: true`. */
export function preservesUnknown(s: JSONSchemaProps | undefined): boolean {
  return s?.['x-kubernetes-preserve-unknown-fields'] === true;
}

/** isEmbeddedResource tells whether s sets `x-kubernetes-embedded-resource: true`. */
export function isEmbeddedResource(s: JSONSchemaProps | undefined): boolean {
  return s?.['x-kubernetes-embedded-resource'] === true;
}

/** hasDefault tells whether s has a default; kube treats `default: null` as none. */
export function hasDefault(
  s: JSONSchemaProps | undefined,
): s is JSONSchemaProps & { default: unknown } {
  return s?.default !== undefined && s.default !== null;
}
