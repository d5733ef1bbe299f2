import { badRequest } from '../../core/errors/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';

/** FieldRequirement is one `field=value` / `field==value` / `field!=value` term. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: 'Equals' | 'NotEquals';
  readonly value: string;
}

/** FieldSelector is the AND of its requirements; no requirements selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** EVERY_FIELD is the selector that matches every object (an empty `fieldSelector`). */
export const EVERY_FIELD: FieldSelector = { requirements: [] };

/** ALWAYS_SELECTABLE are the fields every custom resource can be selected by. */
export const ALWAYS_SELECTABLE: readonly string[] = ['metadata.name', 'metadata.namespace'];

// Operators in the order kube tries them at each position, so `!=` wins over `=`.
const OPERATORS = ['!=', '==', '='] as const;

/**
 * parseFieldSelector parses kube's field selector syntax (`f=v`, `f==v`, `f!=v`, comma = AND,
 * `\,` `\=` `\\` escapes in values; no whitespace trimming, as in kube). `allowed` lists the CRD's
 * selectableFields (`spec.agent` or jsonPath style `.spec.agent`) besides metadata.name and
 * metadata.namespace. Unknown fields are a 400 `field label not supported: <field>`.
 */
export function parseFieldSelector(s: string, allowed: readonly string[]): FieldSelector {
  const fields = new Set([...ALWAYS_SELECTABLE, ...allowed.map(f => f.replace(/^\./, ''))]);
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(s)) {
    if (term === '') continue;
    const parsed = splitTerm(term);
    if (parsed === undefined) {
      throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    }
    const [field, op, raw] = parsed;
    if (!fields.has(field)) throw badRequest(`field label not supported: ${field}`);
    requirements.push({
      field,
      operator: op === '!=' ? 'NotEquals' : 'Equals',
      value: unescapeValue(raw),
    });
  }
  return { requirements };
}

// Splits on commas not escaped by a backslash; escapes stay in place for unescapeValue.
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function splitTerm(term: string): [string, (typeof OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '\\') {
      const n = raw.charAt(i + 1);
      if (n !== '\\' && n !== ',' && n !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${n}`);
      }
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else out += c;
  }
  return out;
}

/**
 * fieldValue reads a dotted path from an object as the string a field selector compares with:
 * strings as they are, numbers and booleans stringified, missing or null as ''.
 */
export function fieldValue(obj: unknown, path: string): string {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return '';
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** matchesFields is true when the object satisfies every requirement of `sel`. */
export function matchesFields(sel: FieldSelector, obj: unknown): boolean {
  return sel.requirements.every(r => {
    const v = fieldValue(obj, r.field);
    switch (r.operator) {
      case 'Equals':
        return v === r.value;
      case 'NotEquals':
        return v !== r.value;
      default:
        return assertNever(r.operator, 'field operator');
    }
  });
}
