// RFC 3339 timestamps as metav1.Time reads and writes them: Go's time.RFC3339 layout, which on
// input also takes fractional seconds; '' and 'null' are the zero time.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2}))$/;

/** ParsedTime is an instant in epoch milliseconds, the zero time, or an unparsable string. */
export type ParsedTime = { kind: 'time'; ms: number } | { kind: 'zero' } | { kind: 'invalid' };

/** utcMs is Date.UTC without its mapping of years 0-99 onto 1900-1999. */
function utcMs(parts: {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}): number {
  const date = new Date(0);
  date.setUTCFullYear(parts.y, parts.mo - 1, parts.d);
  date.setUTCHours(parts.h, parts.mi, parts.s, 0);
  return date.getTime();
}

/** ZERO_TIME_MS is Go's zero time.Time, 0001-01-01T00:00:00Z, in epoch milliseconds. */
export const ZERO_TIME_MS = utcMs({ y: 1, mo: 1, d: 1, h: 0, mi: 0, s: 0 });

// the Gregorian calendar repeats every 400 years, and 2000-2399 dodges Date.UTC's 0-99 quirk
const daysIn = (y: number, mo: number): number =>
  new Date(Date.UTC(2000 + (y % 400), mo, 0)).getUTCDate();

/**
 * parseTime reads a metav1.Time string: `''`/`'null'` and 0001-01-01T00:00:00Z are `zero`,
 * an RFC 3339 time (seconds required, optional fraction, `Z` or ±hh:mm) is its instant
 * (sub-millisecond digits dropped), anything else — out-of-range fields included — is `invalid`.
 */
export function parseTime(s: string): ParsedTime {
  if (s === '' || s === 'null') return { kind: 'zero' };
  const m = RFC3339.exec(s);
  if (m === null) return { kind: 'invalid' };
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offH = Number(m[9] ?? 0);
  const offM = Number(m[10] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) {
    return { kind: 'invalid' };
  }
  if (offH > 23 || offM > 59) return { kind: 'invalid' };
  const fraction = Math.trunc(Number(`0.${m[7] ?? '0'}`) * 1000);
  const sign = m[8]?.startsWith('-') === true ? -1 : 1;
  const offset = m[8] === 'Z' ? 0 : sign * (offH * 60 + offM) * 60_000;
  const ms = utcMs({ y, mo, d, h, mi, s: sec }) + fraction - offset;
  return ms === ZERO_TIME_MS ? { kind: 'zero' } : { kind: 'time', ms };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** formatTime renders epoch milliseconds as kube writes timestamps: `2006-01-02T15:04:05Z`. */
export function formatTime(ms: number): string {
  const t = new Date(ms);
  return (
    `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}Z`
  );
}
