// Tokens of the label selector language (apimachinery labels/selector.go): identifiers are runs of
// anything but whitespace and the symbols `! = ( ) , > <`; `in` and `notin` are keywords.

/** LabelToken is one lexeme of a label selector. */
export type LabelToken =
  | { readonly kind: 'identifier'; readonly text: string }
  | { readonly kind: 'in' | 'notin' | '(' | ')' | ',' | 'end' }
  | { readonly kind: 'operator'; readonly text: '=' | '==' | '!=' | '!' | '>' | '<' };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);
const isSpace = (c: string): boolean => /\s/.test(c);

/** lexLabelSelector splits a selector into tokens, ending with `end`. */
export function lexLabelSelector(s: string): LabelToken[] {
  const out: LabelToken[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c });
      i++;
    } else if (SPECIAL.has(c)) {
      const two = s.slice(i, i + 2);
      const op = two === '==' || two === '!=' ? two : (c as '=' | '!' | '>' | '<');
      out.push({ kind: 'operator', text: op });
      i += op.length;
    } else {
      let j = i;
      while (j < s.length && !isSpace(s.charAt(j)) && !SPECIAL.has(s.charAt(j))) j++;
      const text = s.slice(i, j);
      out.push(text === 'in' || text === 'notin' ? { kind: text } : { kind: 'identifier', text });
      i = j;
    }
  }
  out.push({ kind: 'end' });
  return out;
}

/** showToken renders a token for an error message, as kube quotes the literal it found. */
export function showToken(t: LabelToken): string {
  switch (t.kind) {
    case 'identifier':
    case 'operator':
      return t.text;
    case 'end':
      return '';
    case 'in':
    case 'notin':
    case '(':
    case ')':
    case ',':
      return t.kind;
  }
}
