// String and number `format` checks. kube validates only the formats of its strfmt registry and
// silently ignores the rest (apiextensions `StripUnsupportedFormatsPostProcess`); names are
// compared without case, `-` or `_`, as strfmt normalises them (`date-time` = `datetime`).
// The checks approximate the Go parsers kube uses (net.ParseIP, time.ParseDuration, ...).
import { isIPv4, isIPv6 } from 'node:net';

const HEX = '[0-9a-f]';
const UUID = new RegExp(`^${HEX}{8}-?${HEX}{4}-?${HEX}{4}-?${HEX}{4}-?${HEX}{12}$`, 'i');
const UUID3 = new RegExp(`^${HEX}{8}-?${HEX}{4}-?3${HEX}{3}-?${HEX}{4}-?${HEX}{12}$`, 'i');
const UUID4 = new RegExp(`^${HEX}{8}-?${HEX}{4}-?4${HEX}{3}-?[89ab]${HEX}{3}-?${HEX}{12}$`, 'i');
const UUID5 = new RegExp(`^${HEX}{8}-?${HEX}{4}-?5${HEX}{3}-?[89ab]${HEX}{3}-?${HEX}{12}$`, 'i');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
// Go's time.ParseDuration syntax, then strfmt's "3 days" / "1 w" style.
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const UNIT =
  'ns|nanoseconds?|us|µs|microseconds?|ms|milliseconds?|s|sec|seconds?|m|min|minutes?|h|hr|hours?|d|days?|w|wk|weeks?';
const HUMAN_DURATION = new RegExp(`^(?:\\d+\\s*(?:${UNIT})\\s*)+$`);
const HOST_LABEL = /^[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
const MAC_COLON = /^[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2})*$/i;
const MAC_DOT = /^[0-9a-f]{4}(?:\.[0-9a-f]{4})*$/i;
const URI = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)\S*$/;
const RGB = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function validDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (m === null || !validDate(m[1] ?? '')) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) <= 60;
}

function validHostname(s: string): boolean {
  const host = s.endsWith('.') ? s.slice(0, -1) : s;
  return host.length > 0 && host.length <= 255 && host.split('.').every(l => HOST_LABEL.test(l));
}

// net/mail.ParseAddress also takes `Name <user@host>`; the address part must have no spaces.
function validEmail(s: string): boolean {
  const angle = /^[^<>]*<([^<>]+)>$/.exec(s);
  return /^[^\s@<>]+@[^\s@<>]+$/.test(angle === null ? s : (angle[1] ?? ''));
}

// Go's net.ParseIP rejects zones; kube tells the families apart by `.` and `:`.
const parsesAsIp = (s: string): boolean => !s.includes('%') && (isIPv4(s) || isIPv6(s));

function validCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !parsesAsIp(ip)) return false;
  return Number(bits) <= (isIPv4(ip) ? 32 : 128);
}

function validMac(s: string): boolean {
  const groups = MAC_COLON.test(s)
    ? s.split(/[:-]/).length
    : MAC_DOT.test(s)
      ? s.split('.').length * 2
      : 0;
  return groups === 6 || groups === 8 || groups === 20;
}

function validRgb(s: string): boolean {
  const m = RGB.exec(s);
  return m !== null && [m[1], m[2], m[3]].every(c => Number(c) <= 255);
}

const STRING_FORMATS = new Map(
  Object.entries<(s: string) => boolean>({
    bsonobjectid: s => /^[0-9a-f]{24}$/i.test(s),
    uri: s => URI.test(s),
    email: validEmail,
    hostname: validHostname,
    ipv4: s => parsesAsIp(s) && s.includes('.'),
    ipv6: s => parsesAsIp(s) && s.includes(':'),
    cidr: validCidr,
    mac: validMac,
    uuid: s => UUID.test(s),
    uuid3: s => UUID3.test(s),
    uuid4: s => UUID4.test(s),
    uuid5: s => UUID5.test(s),
    ssn: s => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
    hexcolor: s => /^#?(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(s),
    rgbcolor: validRgb,
    byte: s => BASE64.test(s),
    password: () => true,
    date: validDate,
    duration: s => s === '0' || GO_DURATION.test(s) || HUMAN_DURATION.test(s),
    datetime: validDateTime,
  }),
);

const INT64_LIMIT = 2 ** 63;
const FLOAT32_MAX = 3.4028234663852886e38;

// kube strips these (they are not in its strfmt registry) and so never checks them; we do, since
// a value out of a Go int32/float32 range breaks typed clients of the object.
const NUMBER_FORMATS = new Map(
  Object.entries<(n: number) => boolean>({
    int32: n => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    int64: n => Number.isInteger(n) && n >= -INT64_LIMIT && n < INT64_LIMIT,
    float: n => Math.abs(n) <= FLOAT32_MAX,
    double: n => Number.isFinite(n),
  }),
);

const normalise = (format: string): string => format.toLowerCase().replace(/[-_]/g, '');

/** stringFormatValid checks s against format; undefined means the format is not checked. */
export function stringFormatValid(format: string, s: string): boolean | undefined {
  return STRING_FORMATS.get(normalise(format))?.(s);
}

/** numberFormatValid checks n against int32/int64/float/double; undefined for other formats. */
export function numberFormatValid(format: string, n: number): boolean | undefined {
  return NUMBER_FORMATS.get(normalise(format))?.(n);
}
