/**
 * splitCsvLine splits one CSV record the way Go's encoding/csv reads kube's token file: fields are
 * separated by commas; a quoted field may hold commas and doubled quotes (`""`). Whitespace around
 * fields is dropped, since no token, user name or group legitimately begins or ends with it.
 * Throws a plain Error (without position) on an unterminated quote or a stray quote.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    i = skipBlanks(line, i);
    if (line[i] === '"') {
      const [value, next] = quotedField(line, i + 1);
      i = skipBlanks(line, next);
      if (i < line.length && line[i] !== ',') {
        throw new Error(`unexpected ${JSON.stringify(line[i])} after a quoted field`);
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(i, end).trim();
      if (value.includes('"')) throw new Error('a quote inside an unquoted field');
      fields.push(value);
      i = end;
    }
    if (i >= line.length) return fields;
    i++; // past the comma
  }
}

// quotedField reads from just after an opening quote; returns the value and the index after the
// closing quote.
function quotedField(line: string, start: number): [string, number] {
  let value = '';
  let i = start;
  for (;;) {
    const quote = line.indexOf('"', i);
    if (quote < 0) throw new Error('a quoted field is not closed');
    value += line.slice(i, quote);
    if (line[quote + 1] !== '"') return [value, quote + 1];
    value += '"';
    i = quote + 2;
  }
}

function skipBlanks(line: string, i: number): number {
  let j = i;
  while (line[j] === ' ' || line[j] === '\t') j++;
  return j;
}
