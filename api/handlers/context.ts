import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../core/util/clock.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { notFound } from '../../core/errors/index.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import { objectKey } from '../registry/keys.ts';
import type { Store, Stored } from '../storage/types.ts';
import type { FieldValidation, WriteContext } from '../registry/strategy.ts';
import { rfc3339 } from '../registry/strategy.ts';

/** ServerDeps are the long-lived collaborators every handler uses. */
export interface ServerDeps {
  readonly store: Store;
  readonly registry: ResourceRegistry;
  readonly clock: Clock;
  /** root is the etcd key root, `/registry` by default. */
  readonly root: string;
  readonly logger: Logger;
  /** maxWatchSeconds caps every watch's duration (tests use a few seconds); absent = kube's 30–60 min. */
  readonly maxWatchSeconds?: number;
  /** requests is told of every resolved resource request (metrics); absent = nobody. */
  readonly requests?: RequestObserver;
}

/**
 * RequestObserver is told of each resource request once it is resolved (a served resource),
 * just before its verb handler runs. It must be synchronous and cheap: it is on every request.
 */
export interface RequestObserver {
  begin(r: ResourceRequest): void;
}

/** ResourceRequest is one parsed request against a served resource. */
export interface ResourceRequest {
  readonly deps: ServerDeps;
  readonly info: ResourceInfo;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  readonly req: Request;
  readonly res: Response;
}

/** keyOf is the etcd key of the named object of a request. */
export function keyOf(r: ResourceRequest, name = r.name ?? ''): string {
  return objectKey(r.info, { root: r.deps.root, namespace: r.namespace, name });
}

/** asServed rewrites the stored object's apiVersion to the version the client asked for. */
export function asServed(info: ResourceInfo, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(info);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** readOrThrow reads the request's object or throws kube's NotFound. */
export async function readOrThrow(r: ResourceRequest, name = r.name ?? ''): Promise<Stored> {
  const got = await r.deps.store.get(keyOf(r, name));
  if (got === undefined) throw notFound({ group: r.info.group, plural: r.info.plural, name });
  return got;
}

/** fieldValidationOf reads `fieldValidation` (default Warn, as kube). */
export function fieldValidationOf(query: Readonly<Record<string, string>>): FieldValidation {
  const v = query['fieldValidation'];
  return v === 'Ignore' || v === 'Strict' ? v : 'Warn';
}

/** writeContextOf builds the strategy's context for a write request. */
export function writeContextOf(r: ResourceRequest): WriteContext {
  return {
    info: r.info,
    namespace: r.namespace,
    fieldValidation: fieldValidationOf(r.query),
    now: rfc3339(r.deps.clock.now()),
    warnings: [],
  };
}

/** isDryRun tells whether the client asked for `dryRun=All`. */
export function isDryRun(r: ResourceRequest): boolean {
  return r.query['dryRun'] === 'All';
}

/** resourceRef names the request's object for error messages. */
export function resourceRef(
  r: ResourceRequest,
  name = r.name ?? '',
): { group: string; plural: string; name: string } {
  return { group: r.info.group, plural: r.info.plural, name };
}
