// Evaluation of a parsed JSONPath over a JSON document, with client-go's AllowMissingKeys
// semantics: a missing key, an index out of range or a selector applied to the wrong type of
// value yields no result rather than an error.
import { parsePath } from './jsonpath-parse.ts';
import type { FilterOp, Operand, PathExpr, Step } from './jsonpath-parse.ts';

export { JsonPathSyntaxError } from './jsonpath-parse.ts';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function sliceOf(arr: readonly unknown[], s: Extract<Step, { kind: 'slice' }>): unknown[] {
  const len = arr.length;
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + len : i, 0), len);
  const start = clamp(s.start ?? 0);
  const end = clamp(s.end ?? len);
  const step = s.step ?? 1;
  if (step <= 0) return [];
  const out: unknown[] = [];
  for (let i = start; i < end; i += step) out.push(arr[i]);
  return out;
}

/** compare applies a filter operator; values of different JSON types never match. */
function compare(op: FilterOp, l: unknown, r: unknown): boolean {
  if (typeof l !== typeof r || (l === null) !== (r === null)) return false;
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case 'exists':
      return true;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (!(typeof l === 'number' || typeof l === 'string')) return false;
      const a = l;
      const b = r as typeof l;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
  }
}

function operandValues(o: Operand, item: unknown, root: unknown): unknown[] {
  return o.kind === 'literal' ? [o.value] : evaluate(o.path, item, root);
}

function apply(step: Step, value: unknown, root: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      if (step.name === '') return [value];
      return isObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'wildcard':
      return Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? step.index + value.length : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'slice':
      return Array.isArray(value) ? sliceOf(value, step) : [];
    case 'filter': {
      if (!Array.isArray(value)) return [];
      return value.filter(item => {
        const lefts = evaluate(step.left, item, root);
        if (step.op === 'exists' || step.right === undefined) return lefts.length > 0;
        const rights = operandValues(step.right, item, root);
        // like client-go, compare exactly one value on each side
        if (lefts.length !== 1 || rights.length !== 1) return false;
        return compare(step.op, lefts[0], rights[0]);
      });
    }
  }
}

function evaluate(path: PathExpr, current: unknown, root: unknown): unknown[] {
  let values = [path.root === '@' ? current : root];
  for (const step of path.steps) values = values.flatMap(v => apply(step, v, root));
  return values;
}

/** JsonPath is a compiled path; `find` returns every value it selects, in document order. */
export interface JsonPath {
  readonly source: string;
  readonly find: (document: unknown) => unknown[];
}

/** compileJsonPath parses a JSONPath once for repeated use; throws JsonPathSyntaxError. */
export function compileJsonPath(source: string): JsonPath {
  const path = parsePath(source);
  return { source, find: document => evaluate(path, document, document) };
}
