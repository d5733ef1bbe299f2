// How client-go's JSONPath prints a value as text (what kubectl shows in a string column):
// strings as they are, numbers as Go's fmt prints an int64 or float64, booleans as true/false,
// objects and arrays as Go's encoding/json writes them (keys sorted, <, > and & escaped).

/** goNumber renders a JSON number as Go's `%v` would after kube decoded it (int64 or float64). */
export function goNumber(n: number): string {
  // kube decodes integral JSON numbers to int64, printed in full
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  // float64 %v is %g with the shortest digits: exponent form outside 1e-4 <= |n| < 1e6
  const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(n);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, x]) => [k, sortKeys(x)]));
}

const HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** goJson serializes like Go's json.Marshal: map keys sorted, HTML-sensitive characters escaped. */
export function goJson(v: unknown): string {
  // these characters can only occur inside JSON strings, so replacing them in the text is safe
  return (JSON.stringify(sortKeys(v)) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    c => HTML_ESCAPES[c] ?? c,
  );
}

/** jsonPathText renders one JSONPath result as client-go's text output does. */
export function jsonPathText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return goJson(v);
}
