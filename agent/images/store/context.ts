// What every store operation shares: where the store is, its locks, and how to log and tell time.
import type { Clock } from '../../../core/util/clock.ts';
import { KeyedMutex, RwLock } from './locks.ts';
import type { StorePaths } from './paths.ts';

/** ImageLogger is the slice of a pino logger the image store writes to. */
export interface ImageLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** silentImageLogger drops everything; the default when no logger is passed. */
export const silentImageLogger: ImageLogger = { info: () => undefined, warn: () => undefined };

/** StoreContext is passed to every store function; one per open store. */
export interface StoreContext {
  readonly paths: StorePaths;
  /** mutex serialises work on one key: `blob:<digest>`, `layer:<diffid>`, `view:<digest>`, `refs`. */
  readonly mutex: KeyedMutex;
  /** gcLock: pulls and rootfs assembly read, GC writes, so GC never frees what a pull just wrote. */
  readonly gcLock: RwLock;
  /** chown applies tar owners; true when running as root. */
  readonly chown: boolean;
  readonly log: ImageLogger;
  readonly clock: Clock;
}

/** newStoreContext builds a context with fresh locks. */
export function newStoreContext(init: Omit<StoreContext, 'mutex' | 'gcLock'>): StoreContext {
  return { ...init, mutex: new KeyedMutex(), gcLock: new RwLock() };
}
