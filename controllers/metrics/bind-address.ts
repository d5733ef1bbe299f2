// `--metrics-bind-address`, parsed once at start so a typo fails before anything runs.

/** DEFAULT_METRICS_BIND_ADDRESS is loopback only, like kube-controller-manager's default bind. */
export const DEFAULT_METRICS_BIND_ADDRESS = '127.0.0.1:10270';

/** BindAddress is where the health and metrics endpoint listens, or that it is off. */
export type BindAddress =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'listen'; readonly host: string; readonly port: number };

/**
 * parseBindAddress reads `host:port`, `[ipv6]:port` or `:port` (every IPv4 interface); `0` or
 * an empty string turn the endpoint off (controller-runtime's convention), and port 0 lets the
 * kernel pick one. It throws a RangeError naming the flag on anything else.
 */
export function parseBindAddress(text: string, flag = '--metrics-bind-address'): BindAddress {
  const t = text.trim();
  if (t === '' || t === '0') return { kind: 'disabled' };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(t);
  const port = Number(m?.[3]);
  if (m === null || !Number.isInteger(port) || port > 65535)
    throw new RangeError(`${flag}: "${text}" is not host:port, [ipv6]:port, :port or 0`);
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '0.0.0.0' : m[2]);
  return { kind: 'listen', host, port };
}

/** formatBindAddress writes a listening address back as `host:port` (IPv6 in brackets). */
export function formatBindAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
