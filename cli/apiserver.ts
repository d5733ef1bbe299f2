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
  tokenFile?: string;
  crdDir?: string;
  etcdPrefix: string;
}

/** DEFAULT_CRD_DIR is the repository's crds/ folder. */
export const DEFAULT_CRD_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'crds');

/** runApiServer runs the API server until SIGINT/SIGTERM. */
export async function runApiServer(flags: ApiServerFlags): Promise<void> {
  const tls =
    flags.tlsDir === undefined ? undefined : await ensureTlsMaterial({ dir: flags.tlsDir });
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
