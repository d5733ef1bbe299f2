/**
 * microTime renders a time as Kubernetes MicroTime (RFC 3339 with six fraction digits), the
 * format of a Lease's acquireTime and renewTime.
 */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
