import { badRequest } from '../../core/errors/index.ts';
import type { ApiError } from '../../core/errors/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import { lexLabelSelector, showToken } from './label-lexer.ts';
import type { LabelToken } from './label-lexer.ts';
import { labelKeyError, labelValueError } from './label-syntax.ts';

/** LabelOperator is the comparison of one requirement (`=`/`==` are Equals, `>` GreaterThan...). */
export type LabelOperator =
  'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

/** LabelRequirement is one comma-separated term of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** LabelSelector is the AND of its requirements; no requirements selects everything. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
}

/** EVERY_LABEL is the selector that matches every object (an empty `labelSelector`). */
export const EVERY_LABEL: LabelSelector = { requirements: [] };

const fail = (why: string): ApiError => badRequest(why);
const unexpected = (t: LabelToken, expected: string): ApiError =>
  fail(`unable to parse requirement: found '${showToken(t)}', expected: ${expected}`);

/**
 * parseLabelSelector parses kube's label selector syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`, joined by commas (AND), whitespace ignored. Keys must
 * be qualified names and values valid label values. Anything else is a 400 BadRequest naming
 * what was found and what was expected.
 */
export function parseLabelSelector(s: string): LabelSelector {
  const tokens = lexLabelSelector(s);
  let at = 0;
  const peek = (): LabelToken => tokens[at] ?? { kind: 'end' };
  const next = (): LabelToken => tokens[at++] ?? { kind: 'end' };
  if (peek().kind === 'end') return EVERY_LABEL;

  const requirements: LabelRequirement[] = [];
  for (;;) {
    requirements.push(parseRequirement(peek, next));
    const t = next();
    if (t.kind === 'end') break;
    if (t.kind !== ',') throw unexpected(t, "',' or 'end of string'");
  }
  return { requirements };
}

function parseRequirement(peek: () => LabelToken, next: () => LabelToken): LabelRequirement {
  let t = next();
  const negated = t.kind === 'operator' && t.text === '!';
  if (negated) t = next();
  if (t.kind !== 'identifier') throw unexpected(t, negated ? 'identifier' : '!, identifier');
  const key = t.text;
  const after = peek();
  if (negated || after.kind === ',' || after.kind === 'end') {
    return requirement(key, negated ? 'DoesNotExist' : 'Exists', []);
  }
  const op = next();
  if (op.kind === 'in' || op.kind === 'notin') {
    return requirement(key, op.kind === 'in' ? 'In' : 'NotIn', parseValueList(next));
  }
  if (op.kind !== 'operator' || op.text === '!') {
    throw unexpected(op, '=, !=, ==, in, notin, >, <');
  }
  // `k=` compares with the empty value, as in kube.
  const v = peek();
  let value = '';
  if (v.kind === 'identifier') {
    next();
    value = v.text;
  } else if (v.kind !== ',' && v.kind !== 'end') throw unexpected(v, 'identifier');
  const operator: LabelOperator =
    op.text === '!='
      ? 'NotEquals'
      : op.text === '>'
        ? 'GreaterThan'
        : op.text === '<'
          ? 'LessThan'
          : 'Equals';
  return requirement(key, operator, [value]);
}

function parseValueList(next: () => LabelToken): string[] {
  const open = next();
  if (open.kind !== '(') throw unexpected(open, "'('");
  const values: string[] = [];
  let current: string | undefined;
  let sawAny = false;
  for (;;) {
    const t = next();
    if (t.kind === 'identifier' && current === undefined) {
      current = t.text;
      sawAny = true;
    } else if (t.kind === ',') {
      values.push(current ?? '');
      current = undefined;
      sawAny = true;
    } else if (t.kind === ')') {
      if (sawAny) values.push(current ?? '');
      return values;
    } else throw unexpected(t, "',', ')' or identifier");
  }
}

function requirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const keyErr = labelKeyError(key);
  if (keyErr !== undefined) {
    throw fail(
      `unable to parse requirement: key: Invalid value: ${JSON.stringify(key)}: ${keyErr}`,
    );
  }
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    throw fail(
      `unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
    );
  }
  if (operator === 'GreaterThan' || operator === 'LessThan') {
    if (!/^[-+]?\d+$/.test(values[0] ?? '')) {
      throw fail(
        `unable to parse requirement: values[0]: Invalid value: ${JSON.stringify(values[0] ?? '')}: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    return { key, operator, values };
  }
  values.forEach((v, i) => {
    const err = labelValueError(v);
    if (err !== undefined) {
      throw fail(
        `unable to parse requirement: values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${err}`,
      );
    }
  });
  return { key, operator, values: [...new Set(values)].sort() };
}

/** matchesLabels is true when `labels` satisfy every requirement of `sel`. */
export function matchesLabels(
  sel: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return sel.requirements.every(r => matchesRequirement(r, labels ?? {}));
}

function matchesRequirement(
  r: LabelRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (value === undefined || !/^[-+]?\d+$/.test(value)) return false;
      const [have, want] = [BigInt(value), BigInt(r.values[0] ?? '0')];
      return r.operator === 'GreaterThan' ? have > want : have < want;
    }
    default:
      return assertNever(r.operator, 'label operator');
  }
}
