// One entry point for every accepted input shape of a resource collection.
import { ResourceParseError } from './parse-error.ts';
import { parseResourceList } from './parse-list.ts';
import { parseResourceMap } from './parse-map.ts';
import { parseResourceText } from './parse-text.ts';
import { typeName } from './quantity.ts';
import type { Resources } from './resources.ts';

/**
 * parseResources reads any accepted shape: a list (the full form), an object (the simple map
 * form) or a string (Mesos's text form, `cpus:2;mem:1024`). Throws a ResourceParseError.
 */
export function parseResources(input: unknown, field = 'resources'): Resources {
  if (Array.isArray(input)) return parseResourceList(input, field);
  if (typeof input === 'string') return parseResourceText(input, undefined, field);
  if (typeof input === 'object' && input !== null) return parseResourceMap(input, field);
  throw new ResourceParseError(field, `must be a list, a map or a string, got ${typeName(input)}`);
}
