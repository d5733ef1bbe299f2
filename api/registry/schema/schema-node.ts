// A schema node read once into the shape prune, default and validate walk: its properties in a
// Map of already-read children, its defaulted properties listed, and flags for which checks it
// has. Every write walks its kind's schema, and reading keywords off the raw node per value
// (Object.entries of properties, hasOwn, optional chains) was most of what those walks cost.
import type { JSONSchemaProps } from '../crd-types.ts';
import { hasDefault, isEmbeddedResource, mapValuesOf, preservesUnknown } from './nodes.ts';

/** SchemaNode is one JSONSchemaProps node, read once; `s` is the node itself. */
export interface SchemaNode {
  readonly s: JSONSchemaProps;
  /** props are the own `properties`, each already a SchemaNode. */
  readonly props: ReadonlyMap<string, SchemaNode>;
  /** values is mapValuesOf(s) as a node: undefined for `additionalProperties: true`, null for none. */
  readonly values: SchemaNode | undefined | null;
  readonly items: SchemaNode | undefined;
  readonly preserve: boolean;
  readonly embedded: boolean;
  /** nullable is `nullable: true`. */
  readonly nullable: boolean;
  /** defaulted is hasDefault(s). */
  readonly defaulted: boolean;
  /** withDefaults are the properties that have a default, in `properties` order. */
  readonly withDefaults: readonly (readonly [string, SchemaNode])[];
  /**
   * indexDefaults: a defaulted property is named like an array index (`0`, `17`): objects keep
   * such keys first, not in the order they were added.
   */
  readonly indexDefaults: boolean;
  readonly required: readonly string[];
  /** want is the JSON type s requires (`integer,string` for int-or-string), if any. */
  readonly want: string | undefined;
  /** scalarChecks: s has a format, enum, numeric or string bound (checkScalar has work). */
  readonly scalarChecks: boolean;
  /** stringEnum holds s.enum's string members (undefined when s has no enum). */
  readonly stringEnum: ReadonlySet<string> | undefined;
  /** objectBounds: s has minProperties or maxProperties. */
  readonly objectBounds: boolean;
  /** listChecks: s has a list type, map keys or uniqueItems (checkListType has work). */
  readonly listChecks: boolean;
  readonly junctors: boolean;
  /** matches remembers which strings s.pattern matched (see patternMatches); undefined: none. */
  readonly matches: Map<string, boolean> | undefined;
}

const nodes = new WeakMap<JSONSchemaProps, SchemaNode>();

// isIndex tells a key that objects order as an array index: a canonical integer below 2^32 - 1.
const isIndex = (k: string): boolean => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;

/**
 * schemaNode is s read into a SchemaNode, once per schema object (a CRD's schema lives as long
 * as it is served, and is never changed in place). Children are read with their parent; a node
 * is registered before its children, so a schema that reaches itself again does not loop.
 */
export function schemaNode(s: JSONSchemaProps): SchemaNode {
  const known = nodes.get(s);
  if (known !== undefined) return known;
  const props = new Map<string, SchemaNode>();
  const withDefaults: [string, SchemaNode][] = [];
  const node = {
    s,
    props,
    values: null as SchemaNode | undefined | null,
    items: undefined as SchemaNode | undefined,
    preserve: preservesUnknown(s),
    embedded: isEmbeddedResource(s),
    nullable: s.nullable === true,
    defaulted: hasDefault(s),
    withDefaults,
    indexDefaults: false,
    required: s.required ?? [],
    want: s['x-kubernetes-int-or-string'] === true ? 'integer,string' : s.type,
    scalarChecks:
      s.format !== undefined ||
      s.enum !== undefined ||
      s.multipleOf !== undefined ||
      s.maximum !== undefined ||
      s.minimum !== undefined ||
      s.maxLength !== undefined ||
      s.minLength !== undefined ||
      s.pattern !== undefined,
    stringEnum:
      s.enum === undefined
        ? undefined
        : new Set(s.enum.filter((e): e is string => typeof e === 'string')),
    objectBounds: s.maxProperties !== undefined || s.minProperties !== undefined,
    listChecks:
      s['x-kubernetes-list-type'] === 'set' ||
      s['x-kubernetes-list-type'] === 'map' ||
      s.uniqueItems === true,
    junctors:
      s.allOf !== undefined ||
      s.anyOf !== undefined ||
      s.oneOf !== undefined ||
      s.not !== undefined,
    matches: s.pattern === undefined ? undefined : new Map<string, boolean>(),
  };
  nodes.set(s, node);
  const properties = s.properties;
  if (properties !== undefined) {
    for (const k of Object.keys(properties)) {
      const p = properties[k];
      if (p === undefined) continue;
      const child = schemaNode(p);
      props.set(k, child);
      if (child.defaulted) withDefaults.push([k, child]);
      if (child.defaulted && isIndex(k)) node.indexDefaults = true;
    }
  }
  const values = mapValuesOf(s);
  node.values = values === null || values === undefined ? values : schemaNode(values);
  node.items = s.items === undefined ? undefined : schemaNode(s.items);
  return node;
}
