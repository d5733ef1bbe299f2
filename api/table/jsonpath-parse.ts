// Parser for the JSONPath subset printer columns use (a subset of client-go's util/jsonpath):
// `.a.b`, `.a[0]`, `.a[-1]`, `.a[1:3]`, `.a[*].b`, `.a.*`, `.a['x.y']`, `.a["x.y"]`, `.a.x\.y`
// (a backslash escapes the next character of a field name), and filters
// `[?(@.type=="Ready")]` with == != < > <= >= or bare existence. An optional `{...}` wrapper
// and leading `$`/`@` are accepted. Recursive descent (`..`) and unions (`[0,1]`) are rejected.

/** Step is one selector of a compiled path. */
export type Step =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; left: PathExpr; op: FilterOp; right?: Operand };

/** FilterOp is a filter's comparison, or `exists` for `[?(@.x)]`. */
export type FilterOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'exists';

/** Operand is the right side of a filter comparison. */
export type Operand =
  { kind: 'literal'; value: string | number | boolean } | { kind: 'path'; path: PathExpr };

/** PathExpr is a parsed path: where it starts (`$` the document, `@` the filtered item) and its steps. */
export interface PathExpr {
  root: '$' | '@';
  steps: Step[];
}

/** JsonPathSyntaxError is thrown for a path outside the supported subset. */
export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

const FIELD_END = new Set(['.', '[', ']', ',', '$', '@', '{', '}', ' ', '\t', '\r', '\n']);
const SLICE = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/;
const OPS: readonly FilterOp[] = ['==', '!=', '<', '>', '<=', '>='];

/** unquote reads a '...' or "..." literal; a backslash escapes the next character. */
function unquote(s: string): string | undefined {
  const q = s.charAt(0);
  if (s.length < 2 || (q !== "'" && q !== '"') || s.charAt(s.length - 1) !== q) return undefined;
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** closingBracket finds the `]` closing the `[` at `open`, skipping quoted text and parentheses. */
function closingBracket(src: string, open: number): number {
  let quote = '';
  let depth = 0;
  for (let i = open + 1; i < src.length; i++) {
    const c = src.charAt(i);
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ']' && depth === 0) return i;
  }
  throw new JsonPathSyntaxError(`unterminated [ in ${src}`);
}

function parseOperand(s: string): Operand {
  const text = unquote(s);
  if (text !== undefined) return { kind: 'literal', value: text };
  if (s === 'true' || s === 'false') return { kind: 'literal', value: s === 'true' };
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s))
    return { kind: 'literal', value: Number(s) };
  return { kind: 'path', path: parsePath(s) };
}

function parseFilter(inner: string): Step {
  const m = /^([^!<>=]+)([!<>=]+)(.+)$/.exec(inner);
  if (m === null) return { kind: 'filter', left: parsePath(inner.trim()), op: 'exists' };
  const [, left = '', op = '', right = ''] = m;
  const known = OPS.find(o => o === op);
  if (known === undefined) throw new JsonPathSyntaxError(`unknown filter operator ${op}`);
  return {
    kind: 'filter',
    left: parsePath(left.trim()),
    op: known,
    right: parseOperand(right.trim()),
  };
}

function parseBracket(content: string): Step {
  const text = content.trim();
  if (text === '*') return { kind: 'slice' };
  if (text.startsWith('?(') && text.endsWith(')')) return parseFilter(text.slice(2, -1));
  const key = unquote(text);
  if (key !== undefined) return { kind: 'field', name: key };
  const m = SLICE.exec(text);
  if (m === null || text === '') throw new JsonPathSyntaxError(`unsupported selector [${content}]`);
  const [, a = '', b, c] = m;
  if (b === undefined && c === undefined) return { kind: 'index', index: Number(a) };
  const num = (s: string | undefined): number | undefined =>
    s === undefined || s === '' ? undefined : Number(s);
  const start = num(a);
  const end = num(b);
  const step = num(c);
  return {
    kind: 'slice',
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(step === undefined ? {} : { step }),
  };
}

/** parsePath compiles one JSONPath expression; throws JsonPathSyntaxError outside the subset. */
export function parsePath(source: string): PathExpr {
  let src = source.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  let root: PathExpr['root'] = '$';
  let pos = 0;
  if (src.startsWith('$') || src.startsWith('@')) {
    root = src.startsWith('@') ? '@' : '$';
    pos = 1;
  }
  const steps: Step[] = [];
  while (pos < src.length) {
    const c = src.charAt(pos);
    if (src.startsWith('..', pos))
      throw new JsonPathSyntaxError('recursive descent is not supported');
    if (c === '.') {
      let name = '';
      let escaped = false;
      pos++;
      while (pos < src.length && !FIELD_END.has(src.charAt(pos))) {
        if (src.charAt(pos) === '\\' && pos + 1 < src.length) {
          escaped = true;
          pos++;
        }
        name += src.charAt(pos++);
      }
      steps.push(name === '*' && !escaped ? { kind: 'wildcard' } : { kind: 'field', name });
    } else if (c === '[') {
      const close = closingBracket(src, pos);
      steps.push(parseBracket(src.slice(pos + 1, close)));
      pos = close + 1;
    } else {
      throw new JsonPathSyntaxError(`unexpected ${c} at ${pos} in ${source}`);
    }
  }
  return { root, steps };
}
