// Builders shared by the schema engine's unit tests.
import type { StatusCause } from '../../../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';

/** rootWith wraps a `spec` schema in a CRD root schema. */
export function rootWith(
  spec: JSONSchemaProps,
  extra: Record<string, JSONSchemaProps> = {},
): JSONSchemaProps {
  return { type: 'object', properties: { spec, ...extra } };
}

/** widget builds a custom object with the given spec. */
export function widget(
  spec: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec, ...extra };
}

/** render prints causes as kube prints them in a 422 message: `field: message`. */
export function render(causes: readonly StatusCause[]): string[] {
  return causes.map(c => (c.field === undefined ? c.message : `${c.field}: ${c.message}`));
}

/** reasons lists the causes' reasons. */
export function reasons(causes: readonly StatusCause[]): string[] {
  return causes.map(c => c.reason);
}
