import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '../api/main.ts';
import { ensureTlsMaterial } from '../api/tls/index.ts';
import { onShutdown } from './shutdown.ts';

/** ApiServerFlags are the `corral apiserver` flags. */
export interface ApiServerFlags {
  etcd: string;
  host: string;
  port: number;
  tlsDir?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  tokenFile?: string;
  crdDir?: string;
  etcdPrefix: string;
}

/** DEFAULT_CRD_DIR is the repository's crds/ folder. */
export const DEFAULT_CRD_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'crds');

/**
 * servingTls is the serving certificate: the given files as they are (a mounted Secret is
 * read-only, and its CA key is not there to reissue with), or --tls-dir's generated material.
 */
async function servingTls(
  flags: ApiServerFlags,
): Promise<{ certPem: string; keyPem: string } | undefined> {
  const { tlsCertFile: cert, tlsPrivateKeyFile: key, tlsDir } = flags;
  if (cert === undefined && key === undefined) {
    return tlsDir === undefined ? undefined : ensureTlsMaterial({ dir: tlsDir });
  }
  if (cert === undefined || key === undefined) {
    throw new Error('--tls-cert-file and --tls-private-key-file go together');
  }
  if (tlsDir !== undefined) throw new Error('--tls-dir cannot be combined with --tls-cert-file');
  const [certPem, keyPem] = await Promise.all([readFile(cert, 'utf8'), readFile(key, 'utf8')]);
  return { certPem, keyPem };
}

/** runApiServer runs the API server until SIGINT/SIGTERM. */
export async function runApiServer(flags: ApiServerFlags): Promise<void> {
  let tls: { certPem: string; keyPem: string } | undefined;
  try {
    tls = await servingTls(flags);
  } catch (e) {
    process.stderr.write(`corral apiserver: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const server = await startApiServer({
    etcdEndpoints: flags.etcd.split(','),
    host: flags.host,
    port: flags.port,
    root: flags.etcdPrefix,
    crdDir: flags.crdDir ?? DEFAULT_CRD_DIR,
    ...(tls === undefined ? {} : { tls }),
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
  });
  onShutdown(() => server.stop());
}
