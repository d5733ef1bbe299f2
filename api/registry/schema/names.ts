// Name rules shared by metadata validation: RFC 1123 labels and subdomains, qualified names
// (label and annotation keys, finalizers) and label values, each returning kube's messages
// (apimachinery `util/validation`), so callers can wrap them in `Invalid value` causes.

const DNS_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN_FMT = `${DNS_LABEL_FMT}(\\.${DNS_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const DNS_LABEL = new RegExp(`^${DNS_LABEL_FMT}$`);
const DNS_SUBDOMAIN = new RegExp(`^${DNS_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

const QUALIFIED_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

// regexError words a pattern failure like apimachinery's RegexError, double space and all.
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const eg = examples.map(e => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;

/** isDnsLabel tells whether s is an RFC 1123 label (namespace names): ≤63 `[a-z0-9-]`. */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/** isDnsSubdomain tells whether s is an RFC 1123 subdomain (object names): ≤253, dotted labels. */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

/** dnsLabelErrors lists why s is not an RFC 1123 label (empty when it is one). */
export function dnsLabelErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!DNS_LABEL.test(s)) {
    const msg =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    errs.push(regexError(msg, DNS_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** dnsSubdomainErrors lists why s is not an RFC 1123 subdomain (empty when it is one). */
export function dnsSubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLen(253));
  if (!DNS_SUBDOMAIN.test(s)) {
    const msg =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    errs.push(regexError(msg, DNS_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** pathSegmentErrors lists why s cannot be one URL path segment (`.`, `..`, `/`, `%`). */
export function pathSegmentErrors(s: string, prefix: boolean): string[] {
  if (!prefix && (s === '.' || s === '..')) return [`may not be '${s}'`];
  return ['/', '%'].filter(c => s.includes(c)).map(c => `may not contain '${c}'`);
}

/**
 * qualifiedNameErrors lists why s is not a qualified name `[prefix/]name`: the optional prefix a
 * DNS subdomain, the name ≤63 alphanumerics with `-_.` inside.
 */
export function qualifiedNameErrors(s: string): string[] {
  const parts = s.split('/');
  const errs: string[] = [];
  let name: string;
  if (parts.length === 1) {
    name = s;
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...dnsSubdomainErrors(prefix).map(m => `prefix part ${m}`));
  } else {
    const shape = regexError(
      `a qualified name ${QUALIFIED_MSG}`,
      QUALIFIED_NAME_FMT,
      'MyName',
      'my.name',
      '123-abc',
    );
    return [`${shape} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errs;
}

/** labelValueErrors lists why s is not a label value (≤63, qualified-name charset, or empty). */
export function labelValueErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLen(63));
  if (!LABEL_VALUE.test(s)) {
    const msg = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
    errs.push(regexError(msg, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}
