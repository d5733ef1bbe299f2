// Builders shared by the server-side apply tests: a Widget kind whose schema exercises every
// merge shape (granular and atomic maps, atomic, set and map lists, preserve-unknown-fields).
import type { JSONSchemaProps } from '../../../../../api/registry/crd-types.ts';
import { ApiError } from '../../../../../core/errors/index.ts';
import type { KubeObject } from '../../../../../core/types/meta.ts';

export const API_VERSION = 'example.com/v1';
export const T1 = '2026-01-01T00:00:00Z';
export const T2 = '2026-01-02T00:00:00Z';
export const T3 = '2026-01-03T00:00:00Z';

export const SCHEMA: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        color: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              port: { type: 'integer' },
              protocol: { type: 'string' },
            },
          },
        },
        args: { type: 'array', items: { type: 'string' } },
        selector: {
          type: 'object',
          'x-kubernetes-map-type': 'atomic',
          additionalProperties: { type: 'string' },
        },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

/** widget builds a Widget named w1 in default with the given spec and extra metadata. */
export function widget(
  spec: Record<string, unknown> | undefined,
  meta: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'default', ...meta },
    ...(spec === undefined ? {} : { spec }),
  };
}

/** thrown runs f and returns the ApiError it throws. */
export function thrown(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

/** owners maps each manager (name/operation) to the fieldsV1 it owns. */
export function owners(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of obj.metadata.managedFields ?? []) out[`${e.manager}/${e.operation}`] = e.fieldsV1;
  return out;
}
