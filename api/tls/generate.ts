import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** KeyPairPem is a PEM certificate with its PEM (PKCS#8) private key. */
export interface KeyPairPem {
  readonly certPem: string;
  readonly keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** CA_VALIDITY_DAYS is how long the generated cluster CA lives (10 years). */
export const CA_VALIDITY_DAYS = 3650;

/** SERVER_VALIDITY_DAYS is how long a serving certificate lives; it is reissued before expiry. */
export const SERVER_VALIDITY_DAYS = 365;

// Backdating covers clients whose clock runs a little behind the server's.
const BACKDATE_MS = 5 * 60 * 1000;

// P-256 keys are generated in milliseconds (RSA 2048 takes far longer) and every TLS stack we
// serve (Go's crypto/tls in kubectl, Node's OpenSSL in client-node) accepts them.
const KEY_OPTIONS = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

/**
 * generateCa creates a self-signed CA. The common name carries random bits and the creation time
 * (kube uses the time alone) so no two CAs share a subject: verifiers look issuers up by subject,
 * and a namesake CA from another cluster would be tried and fail with a signature error.
 */
export async function generateCa(nowMs: number): Promise<KeyPairPem> {
  const unique = `${randomBytes(4).toString('hex')}@${Math.floor(nowMs / 1000)}`;
  const pems = await generate([{ name: 'commonName', value: `corral-ca-${unique}` }], {
    ...KEY_OPTIONS,
    notBeforeDate: new Date(nowMs - BACKDATE_MS),
    notAfterDate: new Date(nowMs + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

/** ServerCertOptions says which CA signs a serving certificate and which hosts it names. */
export interface ServerCertOptions {
  readonly ca: KeyPairPem;
  readonly hosts: readonly string[];
  readonly nowMs: number;
}

/** issueServerCert creates a TLS serving certificate signed by `ca`, with a SAN for every host. */
export async function issueServerCert(opts: ServerCertOptions): Promise<KeyPairPem> {
  // IP literals must be IP SANs: Go and OpenSSL never match an IP against a DNS SAN.
  const altNames = opts.hosts.map(h =>
    isIP(h) === 0 ? { type: 2 as const, value: h } : { type: 7 as const, ip: h },
  );
  const pems = await generate([{ name: 'commonName', value: 'corral-apiserver' }], {
    ...KEY_OPTIONS,
    notBeforeDate: new Date(opts.nowMs - BACKDATE_MS),
    notAfterDate: new Date(opts.nowMs + SERVER_VALIDITY_DAYS * DAY_MS),
    ca: { cert: opts.ca.certPem, key: opts.ca.keyPem },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
