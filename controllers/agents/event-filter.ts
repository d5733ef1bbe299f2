// A view of an informer that passes on an update only when a chosen part of the object changed:
// agents heartbeat every few seconds, and only a change of their health should wake the
// controllers of their Tasks and Operations.
import type { EventSource, InformerHandlers } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/index.ts';

/**
 * changedOnly wraps `source`: adds and deletes pass, an update passes when `key(old)` differs
 * from `key(new)`.
 */
export function changedOnly<T extends KubeObject>(
  source: EventSource<T>,
  key: (o: T) => string,
): EventSource<T> {
  return {
    hasSynced: () => source.hasSynced(),
    waitForSync: signal => source.waitForSync(signal),
    on: (h: InformerHandlers<T>) =>
      source.on({
        add: o => h.add?.(o),
        delete: o => h.delete?.(o),
        update: (old, o) => {
          if (key(old) !== key(o)) h.update?.(old, o);
        },
      }),
  };
}
