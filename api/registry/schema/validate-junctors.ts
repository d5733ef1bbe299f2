// allOf / anyOf / oneOf / not, as kube-openapi evaluates them: each alternative is validated on
// its own; a failure is one composite cause (worded like kube's) plus the causes of the
// alternative that came closest (fewest causes), so the user sees what to fix.
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { fieldInvalid } from './field-errors.ts';
import { jsonType } from './json.ts';

/** SubValidate validates v against one alternative schema at path and returns its causes. */
export type SubValidate = (v: unknown, s: JSONSchemaProps, path: string) => StatusCause[];

// The composite cause shows scalars themselves and compound values by their type name, so a
// large object is not repeated in the message.
function composite(v: unknown, path: string, detail: string): StatusCause {
  const shown = typeof v === 'object' && v !== null ? jsonType(v) : v;
  return fieldInvalid(path, shown, `"${path}" ${detail}`);
}

function closest(results: readonly StatusCause[][]): StatusCause[] {
  let best: StatusCause[] | undefined;
  for (const r of results) if (best === undefined || r.length < best.length) best = r;
  return best ?? [];
}

/** checkJunctors applies s's allOf, anyOf, oneOf and not to v, appending failures to out. */
export function checkJunctors(
  v: unknown,
  s: JSONSchemaProps,
  path: string,
  ctx: { readonly sub: SubValidate; readonly out: StatusCause[] },
): void {
  const { sub, out } = ctx;
  if (s.anyOf !== undefined && s.anyOf.length > 0) {
    const results = s.anyOf.map(alt => sub(v, alt, path));
    if (results.every(r => r.length > 0)) {
      out.push(
        composite(v, path, 'must validate at least one schema (anyOf)'),
        ...closest(results),
      );
    }
  }
  if (s.oneOf !== undefined && s.oneOf.length > 0) {
    const results = s.oneOf.map(alt => sub(v, alt, path));
    const valid = results.filter(r => r.length === 0).length;
    if (valid !== 1) {
      const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      out.push(composite(v, path, `must validate one and only one schema (oneOf). ${found}`));
      if (valid === 0) out.push(...closest(results));
    }
  }
  if (s.allOf !== undefined && s.allOf.length > 0) {
    const results = s.allOf.map(alt => sub(v, alt, path));
    const failed = results.filter(r => r.length > 0);
    if (failed.length > 0) {
      const none = failed.length === results.length ? '. None validated' : '';
      out.push(
        composite(v, path, `must validate all the schemas (allOf)${none}`),
        ...failed.flat(),
      );
    }
  }
  if (s.not !== undefined && sub(v, s.not, path).length === 0) {
    out.push(composite(v, path, 'must not validate the schema (not)'));
  }
}
