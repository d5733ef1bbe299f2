/** WatchEventType is the type of a watch event before selectors are applied. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** SelectedEvent is what a filtered watcher sends, and which object state it carries. */
export interface SelectedEvent {
  readonly type: WatchEventType;
  /** 'previous' means the state before the change (with the event's resourceVersion). */
  readonly object: 'current' | 'previous';
}

/**
 * selectorTransition is kube's `cacheWatcher.convertToWatchEvent` for a watcher with selectors.
 * `prevMatch` is whether the object's previous state matched (ignored for ADDED, which has none;
 * for DELETED it is the deleted object's last state); `nowMatch` whether the new state matches
 * (ignored for DELETED). An update that starts matching is ADDED, one that stops matching is
 * DELETED carrying the previous state, one that keeps matching is MODIFIED; undefined means the
 * watcher is not told.
 */
export function selectorTransition(
  type: WatchEventType,
  prevMatch: boolean,
  nowMatch: boolean,
): SelectedEvent | undefined {
  const now = type !== 'DELETED' && nowMatch;
  const before = type !== 'ADDED' && prevMatch;
  if (now && before) return { type: 'MODIFIED', object: 'current' };
  if (now) return { type: 'ADDED', object: 'current' };
  if (before) return { type: 'DELETED', object: 'previous' };
  return undefined;
}
