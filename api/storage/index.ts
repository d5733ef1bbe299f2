// The storage package's public surface: the Store contract and its etcd implementation.
export * from './types.ts';
export { createEtcdStore, type EtcdStore, type EtcdStoreOptions } from './etcd-store.ts';
export type { StorageLogger } from './logger.ts';
export type { WatchStats } from './watch-caches.ts';
export type { EtcdObserver, EtcdOperation } from './etcd-kv.ts';
