// core/client: the typed API client controllers and agents use (they never touch etcd or api/).
export { Client } from './client.ts';
export type { ClientOptions } from './client.ts';
export { ResourceClient } from './resource-client.ts';
export type { Kind, KindInit } from './kinds.ts';
export { apiVersionOf, corralKinds, defineKind } from './kinds.ts';
export type { Lease, LeaseSpec, Namespace } from './builtin-kinds.ts';
export { builtinKinds } from './builtin-kinds.ts';
export type { ClientErrorInit, ClientErrorReason } from './errors.ts';
export {
  ClientError,
  ignoreNotFound,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isTransport,
} from './errors.ts';
export type {
  ApplyConfiguration,
  ApplyOptions,
  CallOptions,
  DeleteOptions,
  JsonPatchOperation,
  JsonPatchOptions,
  ListOptions,
  MergePatch,
  MergePatchOptions,
  ObjectList,
  PatchOptions,
  Selectors,
  WatchOptions,
  WriteOptions,
} from './options.ts';
export type { ObjectKey } from './paths.ts';
export { keyOf } from './paths.ts';
export type { HttpMethod, HttpRequest, HttpResponse, Transport } from './transport.ts';
export { kubeConfigTransport } from './transport.ts';
export type { WatchEvent } from './watch-stream.ts';
export type { BackoffOptions } from './backoff.ts';
export { Backoff } from './backoff.ts';
export type { ReadonlyCache } from './object-store.ts';
export { deepFreeze } from '../util/deep-freeze.ts';
export type {
  EventSource,
  InformerHandlers,
  ListWatcher,
  SharedInformer,
  SharedInformerOptions,
} from './informer.ts';
export { makeSharedInformer } from './informer.ts';
export { dropManagedFields, WITHOUT_MANAGED_FIELDS } from './drop-managed-fields.ts';
