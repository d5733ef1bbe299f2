import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import { systemClock } from '../../core/util/clock.ts';
import type { KeyPairPem } from './generate.ts';
import { generateCa, issueServerCert } from './generate.ts';
import { readPair, usableCa, usableServerCert } from './inspect.ts';
import { PUBLIC_MODE, SECRET_MODE, writeFileAtomic } from './private-file.ts';

/** DEFAULT_TLS_HOSTS are the loopback names a local API server is reached by. */
export const DEFAULT_TLS_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** TlsMaterialOptions says where TLS material lives and which hosts the serving cert must name. */
export interface TlsMaterialOptions {
  readonly dir: string;
  /** DNS names and IP literals for the SANs; defaults to DEFAULT_TLS_HOSTS. */
  readonly hosts?: readonly string[];
  /** Reads the time for validity windows; the system clock when omitted. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** TlsMaterial is the cluster CA and the serving certificate, as PEM text and file paths. */
export interface TlsMaterial {
  readonly caCertPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * ensureTlsMaterial returns a CA and a serving certificate for `hosts` from `dir`, creating them
 * when missing. It runs in two steps:
 *   1. keep `ca.crt`/`ca.key` if they parse, match and are not near expiry, else make a new CA;
 *   2. keep `server.crt`/`server.key` if they were signed by that CA, are not near expiry and name
 *      every requested host, else issue a new one.
 * Reissuing only the serving certificate when hosts change keeps existing kubeconfigs (which pin
 * the CA) valid. Keys are written with mode 0600, certificates with 0644.
 */
export async function ensureTlsMaterial(opts: TlsMaterialOptions): Promise<TlsMaterial> {
  const hosts = opts.hosts ?? DEFAULT_TLS_HOSTS;
  if (hosts.length === 0) throw new Error('ensureTlsMaterial: at least one host is required');
  const nowMs = (opts.clock ?? systemClock).now();
  const caPath = join(opts.dir, 'ca.crt');
  const caKeyPath = join(opts.dir, 'ca.key');
  const certPath = join(opts.dir, 'server.crt');
  const keyPath = join(opts.dir, 'server.key');

  // 1. The CA.
  let ca = await readPair(caPath, caKeyPath);
  let caIsNew = false;
  if (ca === undefined || !usableCa(ca, nowMs)) {
    ca = await generateCa(nowMs);
    await writePair(ca, { certPath: caPath, keyPath: caKeyPath });
    caIsNew = true;
  }

  // 2. The serving certificate; a new CA always invalidates the old one.
  let server = caIsNew ? undefined : await readPair(certPath, keyPath);
  if (server === undefined || !usableServerCert({ server, ca, hosts, nowMs })) {
    server = await issueServerCert({ ca, hosts, nowMs });
    await writePair(server, { certPath, keyPath });
  }

  return {
    caCertPem: ca.certPem,
    certPem: server.certPem,
    keyPem: server.keyPem,
    caPath,
    certPath,
    keyPath,
  };
}

// A crash between the two writes leaves a certificate beside a key it does not match; the next
// call sees the mismatch and regenerates the pair.
async function writePair(
  pair: KeyPairPem,
  paths: { readonly certPath: string; readonly keyPath: string },
): Promise<void> {
  await writeFileAtomic(paths.keyPath, pair.keyPem, SECRET_MODE);
  await writeFileAtomic(paths.certPath, pair.certPem, PUBLIC_MODE);
}
