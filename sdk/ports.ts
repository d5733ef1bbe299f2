// The narrow views of the API the driver uses, so tests can hand it plain objects of functions;
// core/client's ResourceClient satisfies each of them.
import type {
  CallOptions,
  DeleteOptions,
  EventSource,
  Lease,
  ListOptions,
  MergePatch,
  MergePatchOptions,
  ObjectKey,
  ObjectList,
  WriteOptions,
} from '../core/client/index.ts';
import type { Framework, Offer, Operation, Task } from '../core/types/index.ts';
import type { KubeObject } from '../core/types/meta.ts';

/** KindApi is what the driver calls on one kind. */
export interface KindApi<T extends KubeObject> {
  get(key: ObjectKey, opts?: CallOptions): Promise<T>;
  list(opts?: ListOptions): Promise<ObjectList<T>>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(key: ObjectKey, body: MergePatch<T>, opts?: MergePatchOptions): Promise<T>;
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/** DriverApis are the kinds a framework writes; without `leases` it sends no heartbeat. */
export interface DriverApis {
  readonly frameworks: KindApi<Framework>;
  readonly offers: KindApi<Offer>;
  readonly tasks: KindApi<Task>;
  readonly operations: KindApi<Operation>;
  readonly leases?: KindApi<Lease>;
}

/**
 * DriverSources are the framework's own objects as informers keep them: Offers, Tasks and
 * Operations whose `spec.framework` is the framework, in its namespace.
 */
export interface DriverSources {
  readonly offers: Source<Offer>;
  readonly tasks: Source<Task>;
  readonly operations: Source<Operation>;
}

/** Source is an informer as the driver sees it: events, plus a read of what it holds. */
export interface Source<T extends KubeObject> extends EventSource<T> {
  /** list is every cached object of the framework's namespace. */
  list(): readonly T[];
}
