// The slice of OpenAPI 3.0 the per-group/version documents use. Schemas stay loosely typed:
// they are CRD schemas plus kube's x-kubernetes-* extensions, passed through as JSON.
import type { GroupVersionKind } from './types.ts';

/** SchemaObject is an OpenAPI 3.0 schema (JSON-able, extensions included). */
export type SchemaObject = Record<string, unknown>;

/** Parameter is an OpenAPI 3.0 parameter object (query or path, always inline). */
export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: SchemaObject;
}

/** MediaTypes maps a media type to the schema of a body in it. */
export type MediaTypes = Record<string, { schema: SchemaObject }>;

/** Operation is one HTTP method of a path, tagged with kube's action and GVK extensions. */
export interface Operation {
  tags: string[];
  description: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: MediaTypes; required?: boolean };
  responses: Record<string, { description: string; content?: MediaTypes }>;
  'x-kubernetes-action': string;
  /** the operation's GVK is an object (kubectl's validation lookup reads it so), not an array */
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

/** PathItem is the operations of one path plus the parameters shared by all of them. */
export interface PathItem {
  parameters: Parameter[];
  get?: Operation;
  post?: Operation;
  put?: Operation;
  patch?: Operation;
  delete?: Operation;
}

/** OpenApiDocument is a whole per-group/version OpenAPI 3.0 document. */
export interface OpenApiDocument {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, SchemaObject> };
}

/** OpenApiIndex is the `/openapi/v3` document: one entry per served group/version. */
export interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}
