// Builders for the per-field causes of a 422, worded as apimachinery's field errors
// (`Invalid value: "x": detail`), and the bridge from core/resources parse errors to causes.
import type { StatusCause } from '../errors/index.ts';
import type { Resources, Scalar } from '../resources/index.ts';
import { ResourceParseError, parseQuantity, parseResourceMap, unitOf } from '../resources/index.ts';

/** Site is where a check reports: the causes collected so far and the field being checked. */
export interface Site {
  readonly out: StatusCause[];
  readonly field: string;
}

/** at is the site of a field below `site` (`spec` + `roles[0]` → `spec.roles[0]`). */
export function at(site: Site, suffix: string): Site {
  const sep = suffix.startsWith('[') || site.field === '' ? '' : '.';
  return { out: site.out, field: `${site.field}${sep}${suffix}` };
}

// render prints a bad value like apimachinery: strings quoted, numbers and booleans bare.
function render(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return 'null';
  return JSON.stringify(value);
}

/** invalid is `Invalid value: <value>: <detail>` (FieldValueInvalid). */
export function invalid(field: string, value: unknown, detail: string): StatusCause {
  const message = `Invalid value: ${render(value)}: ${detail}`;
  return { reason: 'FieldValueInvalid', field, message };
}

/** required is `Required value: <detail>` (FieldValueRequired). */
export function required(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueRequired', field, message: `Required value: ${detail}` };
}

/** forbidden is `Forbidden: <detail>` (FieldValueForbidden). */
export function forbidden(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}

/** duplicate is `Duplicate value: <value>` (FieldValueDuplicate). */
export function duplicate(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${render(value)}` };
}

/** immutable is kube's `Invalid value: <value>: field is immutable`. */
export function immutable(field: string, value: unknown): StatusCause {
  return invalid(field, value, 'field is immutable');
}

/**
 * capture runs a core/resources parser and turns a ResourceParseError into a cause at the field
 * it names; it returns undefined then. Any other error is a bug and is rethrown.
 */
export function capture<T>(out: StatusCause[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ResourceParseError)) throw e;
    out.push({
      reason: 'FieldValueInvalid',
      field: e.field,
      message: `Invalid value: ${e.detail}`,
    });
    return undefined;
  }
}

/** amount parses one quantity of resource `name` exactly (mem and disk in MB), or records why not. */
export function amount(site: Site, name: string, value: unknown): Scalar | undefined {
  return capture(site.out, () => parseQuantity(value, { field: site.field, unit: unitOf(name) }));
}

/** amounts parses every entry of a quantity map; unparsable entries are left out (and recorded). */
export function amounts(
  site: Site,
  map: Readonly<Record<string, unknown>> | undefined,
): Map<string, Scalar> {
  const result = new Map<string, Scalar>();
  for (const [name, value] of Object.entries(map ?? {})) {
    const parsed = amount(at(site, name), name, value);
    if (parsed !== undefined) result.set(name, parsed);
  }
  return result;
}

/** resourceMap parses the map form of resources, or records why it cannot. */
export function resourceMap(
  site: Site,
  map: Readonly<Record<string, unknown>> | undefined,
): Resources | undefined {
  return capture(site.out, () => parseResourceMap(map ?? {}, site.field));
}
