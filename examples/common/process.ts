// What every example program needs around the SDK: a kubeconfig, a namespace to live in, Ctrl-C
// as an AbortSignal, and lines on stdout. This is the examples' composition-root helper; the
// example logic gets these as parameters.
import { KubeConfig } from '@kubernetes/client-node';
import { Client, builtinKinds } from '../../core/client/index.ts';
import { renderResourceMap } from '../../core/resources/index.ts';
import type { ResourceMap } from '../../core/types/index.ts';
import { resourcesFromText } from '../../sdk/index.ts';

/** loadKubeConfig reads `path`, else $KUBECONFIG or ~/.kube/config, as kubectl does. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(path);
  return kc;
}

/**
 * ensureNamespace creates the namespace when it is missing. A framework needs no such right, so
 * any refusal is left for registration to report.
 */
export async function ensureNamespace(kubeConfig: KubeConfig, namespace: string): Promise<void> {
  const client = Client.fromKubeConfig(kubeConfig);
  try {
    await client
      .for(builtinKinds.namespaces)
      .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  } catch {
    // AlreadyExists is the usual answer; any other refusal is left for registration to report.
  } finally {
    await client.close();
  }
}

/** resourceMap reads Mesos's text form (`cpus:0.1;mem:32`) into a task's map-form requests. */
export function resourceMap(text: string): ResourceMap {
  return renderResourceMap(resourcesFromText(text));
}

/** Interrupt aborts on the first SIGINT or SIGTERM; dispose removes the listeners. */
export interface Interrupt {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** onInterrupt turns Ctrl-C (and SIGTERM) into an AbortSignal. */
export function onInterrupt(): Interrupt {
  const abort = new AbortController();
  const stop = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: abort.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** stdoutLine writes one line to stdout. */
export function stdoutLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Deferred is a promise with its resolve at hand. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** deferred makes a Deferred. */
export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

/** untilAborted resolves when the signal aborts (never, without one). */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise(resolve => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
