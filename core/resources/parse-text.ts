// Mesos's text form, `cpus:2;mem(eng):1024;ports:[31000-32000]` (agent --resources and the
// quantity flags), for configuration flags and tests that mirror Mesos.
import type { ResourceLimits } from './limits.ts';
import { ResourceParseError } from './parse-error.ts';
import { checkConsistentTypes, parseResourceList } from './parse-list.ts';
import { parseLimits, parseQuantities } from './parse-map.ts';
import { inferValue } from './parse-values.ts';
import type { ResourceQuantities } from './quantities.ts';
import type { Resource } from './resource.ts';
import { validateResource } from './resource.ts';
import { Resources } from './resources.ts';
import { DEFAULT_ROLE } from './roles.ts';

interface Token {
  readonly name: string;
  readonly role: string | undefined;
  readonly value: string;
  readonly field: string;
}

function tokens(text: string, field: string): Token[] {
  return text
    .split(';')
    .map(t => t.trim())
    .filter(t => t !== '')
    .map((token, i) => {
      const at = `${field}[${i}]`;
      const pair = token.split(':');
      const [key = '', value = ''] = pair;
      if (pair.length !== 2)
        throw new ResourceParseError(at, `missing or extra ':' in ${JSON.stringify(token)}`);
      const open = key.indexOf('(');
      if (open < 0) {
        if (key.includes(')'))
          throw new ResourceParseError(at, `mismatched parentheses in ${JSON.stringify(token)}`);
        return { name: key.trim(), role: undefined, value, field: at };
      }
      const close = key.indexOf(')');
      if (close < open || key.slice(close + 1).trim() !== '') {
        throw new ResourceParseError(at, `mismatched parentheses in ${JSON.stringify(token)}`);
      }
      return {
        name: key.slice(0, open).trim(),
        role: key.slice(open + 1, close).trim(),
        value,
        field: at,
      };
    });
}

/**
 * parseResourceText reads Mesos's text form: `name(role):value` items separated by `;`, where a
 * role other than `*` is a STATIC reservation and `defaultRole` applies to items without one. A
 * text starting with `[` is read as the JSON list form instead, as Mesos does.
 */
export function parseResourceText(
  text: string,
  defaultRole = DEFAULT_ROLE,
  field = 'resources',
): Resources {
  if (text.trim().startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ResourceParseError(field, `invalid JSON: ${(e as Error).message}`);
    }
    return parseResourceList(json, field);
  }
  const list = tokens(text, field).map(
    ({ name, role = defaultRole, value, field: at }): Resource => {
      if (name === '') throw new ResourceParseError(at, 'resource name must not be empty');
      const r: Resource = {
        name,
        value: inferValue(name, value, at),
        reservations: role === DEFAULT_ROLE ? [] : [{ type: 'STATIC', role }],
        revocable: false,
        shared: false,
      };
      const bad = validateResource(r);
      if (bad !== undefined) throw new ResourceParseError(at, bad);
      return r;
    },
  );
  checkConsistentTypes(list, field);
  return Resources.from(list);
}

/** parseQuantitiesText reads `cpus:1;mem:128` into ResourceQuantities; repeated names add up. */
export function parseQuantitiesText(text: string, field = 'quantities'): ResourceQuantities {
  let sum = parseQuantities({}, field);
  for (const t of tokens(text, field)) {
    if (t.role !== undefined) throw new ResourceParseError(t.field, 'a quantity takes no role');
    sum = sum.add(parseQuantities({ [t.name]: t.value }, field));
  }
  return sum;
}

/** parseLimitsText reads `cpus:1;mem:128` into ResourceLimits; a repeated name is an error. */
export function parseLimitsText(text: string, field = 'limits'): ResourceLimits {
  const out: Record<string, string> = {};
  for (const t of tokens(text, field)) {
    if (t.role !== undefined) throw new ResourceParseError(t.field, 'a limit takes no role');
    if (Object.hasOwn(out, t.name))
      throw new ResourceParseError(t.field, `duplicate limit for ${t.name}`);
    out[t.name] = t.value;
  }
  return parseLimits(out, field);
}
