import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { KeyPairPem } from './generate.ts';

/** RENEW_BEFORE_MS is how close to expiry stored material is replaced rather than reused (30 days). */
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/** readPair loads a certificate and key from disk; undefined when either file does not exist. */
export async function readPair(certPath: string, keyPath: string): Promise<KeyPairPem | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(keyPath, 'utf8'),
    ]);
    return { certPem, keyPem };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

// parse returns undefined for anything that is not a PEM certificate and a matching key, so that
// corrupt or mismatched files are regenerated instead of crashing startup.
function parse(pair: KeyPairPem): X509Certificate | undefined {
  try {
    const cert = new X509Certificate(pair.certPem);
    return cert.checkPrivateKey(createPrivateKey(pair.keyPem)) ? cert : undefined;
  } catch {
    return undefined;
  }
}

function fresh(cert: X509Certificate, nowMs: number): boolean {
  return (
    cert.validFromDate.getTime() <= nowMs && cert.validToDate.getTime() - RENEW_BEFORE_MS > nowMs
  );
}

/** usableCa says whether a stored CA parses, matches its key, is a CA and is not near expiry. */
export function usableCa(pair: KeyPairPem, nowMs: number): boolean {
  const cert = parse(pair);
  return cert !== undefined && cert.ca && fresh(cert, nowMs);
}

/** coversHost says whether a certificate's SANs match a DNS name or an IP literal. */
export function coversHost(cert: X509Certificate, host: string): boolean {
  // `subject: 'never'` ignores the CN, as Go's verifier does.
  return isIP(host) === 0
    ? cert.checkHost(host, { subject: 'never' }) !== undefined
    : cert.checkIP(host) !== undefined;
}

/** ServerCertCheck is a stored serving certificate with the CA and hosts it must match. */
export interface ServerCertCheck {
  readonly server: KeyPairPem;
  readonly ca: KeyPairPem;
  readonly hosts: readonly string[];
  readonly nowMs: number;
}

/**
 * usableServerCert says whether a stored serving certificate parses, matches its key, was signed by
 * the CA, is not near expiry and names every requested host.
 */
export function usableServerCert(check: ServerCertCheck): boolean {
  const cert = parse(check.server);
  if (cert === undefined || cert.ca || !fresh(cert, check.nowMs)) return false;
  const ca = new X509Certificate(check.ca.certPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  return check.hosts.every(h => coversHost(cert, h));
}
