import type { Clock } from '../../core/util/clock.ts';
import type { StorageLogger } from './logger.ts';

/** CompactorOptions say how often to compact and how to read and compact etcd. */
export interface CompactorOptions {
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: StorageLogger;
  readonly currentRevision: () => Promise<string>;
  readonly compact: (revision: string) => Promise<void>;
}

/** Compactor is a running compaction loop; stop() ends it. */
export interface Compactor {
  stop(): void;
}

/**
 * startCompactor compacts etcd every intervalMs to the revision observed at the previous tick,
 * as kube-apiserver does: history always covers at least one full interval, so lists paged with
 * continue tokens and watches resuming from recent revisions survive. Unlike kube it does not
 * coordinate through `compact_rev_key`, so several API servers would each compact (harmless:
 * compacting to an already compacted revision is a no-op).
 */
export function startCompactor(opts: CompactorOptions): Compactor {
  const abort = new AbortController();
  const loop = async (): Promise<void> => {
    let previous: string | undefined;
    for (;;) {
      try {
        await opts.clock.sleep(opts.intervalMs, abort.signal);
      } catch {
        return; // stopped
      }
      try {
        const current = await opts.currentRevision();
        if (previous !== undefined) {
          await opts.compact(previous);
          opts.logger.info({ revision: previous }, 'compacted etcd');
        }
        previous = current;
      } catch (e) {
        opts.logger.warn({ err: e }, 'etcd compaction failed; retrying next interval');
      }
    }
  };
  void loop();
  return { stop: () => abort.abort() };
}
