import { stringify } from 'yaml';
import { SECRET_MODE, writeFileAtomic } from '../tls/index.ts';

/** KubeconfigOptions says which server, CA and token a kubeconfig points at. */
export interface KubeconfigOptions {
  /** An `https://` URL: kubectl sends no token over plain http. */
  readonly server: string;
  readonly caCertPem: string;
  readonly token: string;
  /** Names the cluster and the context; `corral` by default. */
  readonly clusterName?: string;
  /** Names the user entry; `admin` by default. */
  readonly user?: string;
  /** The context's default namespace; omitted (kubectl then uses `default`) when not given. */
  readonly namespace?: string;
}

/**
 * renderKubeconfig writes a kubeconfig with one cluster (the CA inlined as
 * `certificate-authority-data`), one token user and one context, which is current. Throws for a
 * non-https server, since kubectl would silently drop the token there.
 */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  if (!opts.server.startsWith('https://')) {
    throw new Error(`kubeconfig server must be an https:// URL, got ${opts.server}`);
  }
  const cluster = opts.clusterName ?? 'corral';
  const user = opts.user ?? 'admin';
  const context = {
    cluster,
    user,
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
  };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: opts.server,
          'certificate-authority-data': Buffer.from(opts.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: opts.token } }],
    contexts: [{ name: cluster, context }],
    'current-context': cluster,
    preferences: {},
  });
}

/** writeKubeconfig replaces the file at `path` with `content`, readable by its owner only (0600). */
export async function writeKubeconfig(path: string, content: string): Promise<void> {
  await writeFileAtomic(path, content, SECRET_MODE);
}
