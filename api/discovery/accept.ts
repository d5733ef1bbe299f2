// Accept header parsing with the media-type parameters kube negotiates on (`as`, `g`, `v`):
// kubectl asks for tables with
// `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.

/** MediaRange is one comma-separated entry of an Accept header. */
export interface MediaRange {
  /** type is lower-cased, e.g. `application`, or `*`. */
  readonly type: string;
  readonly subtype: string;
  /** params holds every parameter but `q`; names lower-cased, values unquoted and case-kept. */
  readonly params: Readonly<Record<string, string>>;
  /** q is the quality, 1 when absent; 0 means "not acceptable". */
  readonly q: number;
}

/** splitOutsideQuotes splits on `sep` except inside double-quoted strings. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (quoted && c === '\\' && i + 1 < s.length) {
      cur += c + s.charAt(++i);
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"')
    ? v.slice(1, -1).replace(/\\(.)/g, '$1')
    : v;
}

function parseRange(entry: string): MediaRange | undefined {
  const [mediaType = '', ...rawParams] = splitOutsideQuotes(entry, ';').map(p => p.trim());
  const slash = mediaType.indexOf('/');
  if (mediaType === '' || slash <= 0 || slash === mediaType.length - 1) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = unquote(p.slice(eq + 1).trim());
    if (name === 'q') {
      const n = Number(value);
      q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
    } else params[name] = value;
  }
  const type = mediaType.slice(0, slash).trim().toLowerCase();
  const subtype = mediaType
    .slice(slash + 1)
    .trim()
    .toLowerCase();
  return { type, subtype, params, q };
}

/**
 * parseAccept parses an Accept header into its media ranges, in the order the client wrote
 * them; malformed entries are skipped and an absent or empty header yields no ranges.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined) return [];
  return splitOutsideQuotes(header, ',').flatMap(e => parseRange(e) ?? []);
}

/**
 * byPreference orders acceptable ranges as kube's negotiation does: higher q first, then more
 * specific type/subtype first, otherwise the client's order; q=0 ranges are dropped.
 */
export function byPreference(ranges: readonly MediaRange[]): MediaRange[] {
  const specificity = (r: MediaRange): number =>
    (r.type === '*' ? 0 : 2) + (r.subtype === '*' ? 0 : 1);
  return ranges
    .filter(r => r.q > 0)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || specificity(b.r) - specificity(a.r) || a.i - b.i)
    .map(x => x.r);
}

/** TableVersion is the meta.k8s.io version of Table a client asked for. */
export type TableVersion = 'v1' | 'v1beta1';

/**
 * tableVersion says which Table version the client prefers, or undefined for plain objects:
 * the most preferred range that the server can honour decides, where a range with
 * `as=Table;g=meta.k8s.io;v=v1|v1beta1` means a Table, one without `as` means plain JSON, and
 * ranges asking for other conversions (e.g. PartialObjectMetadata) are passed over.
 */
export function tableVersion(header: string | undefined): TableVersion | undefined {
  for (const r of byPreference(parseAccept(header))) {
    const { as, g, v } = r.params;
    if (as === undefined) return undefined;
    if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return v;
  }
  return undefined;
}

/** wantsTable is true when the Accept header asks for a meta.k8s.io v1/v1beta1 Table first. */
export function wantsTable(header: string | undefined): boolean {
  return tableVersion(header) !== undefined;
}
