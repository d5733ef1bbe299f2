import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { StatusCause } from '../../core/errors/index.ts';
import { badRequest, invalid } from '../../core/errors/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { cloneJson } from '../patch/json-value.ts';
import { validateObjectMeta } from './object-meta.ts';
import type { ResourceInfo } from './resource-info.ts';
import { apiVersionOf } from './resource-info.ts';
import { pruneDefaultValidate } from './schema/index.ts';

/** FieldValidation is kube's `fieldValidation` query parameter. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** WriteContext carries what the pipeline needs besides the objects. */
export interface WriteContext {
  readonly info: ResourceInfo;
  readonly namespace: string | undefined;
  readonly fieldValidation: FieldValidation;
  /** now is the RFC 3339 (seconds, Z) timestamp of this request. */
  readonly now: string;
  /** warnings collects `Warning:` header texts for the response. */
  readonly warnings: string[];
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

// The last second rendered: every write stamps `now`, and formatting a Date (toISOString plus
// the replace) is a measurable part of a create, while most writes fall in the same second.
let lastSecond = NaN;
let lastText = '';

/** rfc3339 renders a time with seconds precision and `Z`, as kube stores timestamps. */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

function generateSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++)
    s += GENERATE_ALPHABET.charAt(Math.floor(Math.random() * GENERATE_ALPHABET.length));
  return s;
}

/** checkTypeMeta rejects a body whose apiVersion/kind do not match the URL (400, as kube). */
export function checkTypeMeta(info: ResourceInfo, obj: unknown): asserts obj is KubeObject {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw badRequest('the body of the request must be a JSON or YAML object');
  }
  const o = obj as Record<string, unknown>;
  const want = apiVersionOf(info);
  if (o['apiVersion'] !== undefined && o['apiVersion'] !== want) {
    throw badRequest(
      `the API version in the data (${JSON.stringify(o['apiVersion'])}) does not match the expected API version (${want})`,
    );
  }
  if (o['kind'] !== undefined && o['kind'] !== info.kind) {
    throw badRequest(
      `the kind in the data (${JSON.stringify(o['kind'])}) does not match the expected kind (${info.kind})`,
    );
  }
  o['apiVersion'] = want;
  o['kind'] = info.kind;
  const meta = o['metadata'];
  if (meta === undefined || meta === null) o['metadata'] = {};
  else if (typeof meta !== 'object' || Array.isArray(meta))
    throw badRequest('metadata must be an object');
}

function schemaPass(
  ctx: WriteContext,
  obj: KubeObject,
  isCreate: boolean,
  stored?: ReadonlySet<string>,
): void {
  // prune → default → validate in one walk (write-pass.ts)
  const { pruned, causes: schemaCauses } = pruneDefaultValidate(obj, ctx.info.schema, stored);
  if (pruned.length > 0 && ctx.fieldValidation !== 'Ignore') {
    if (ctx.fieldValidation === 'Strict') {
      const list = pruned.map(p => `unknown field "${p}"`).join(', ');
      throw badRequest(
        `${ctx.info.kind} in version "${ctx.info.version}" cannot be handled as a ${ctx.info.kind}: strict decoding error: ${list}`,
      );
    }
    for (const p of pruned) ctx.warnings.push(`unknown field "${p}"`);
  }
  const causes: StatusCause[] = [
    ...validateObjectMeta(obj.metadata, { namespaced: ctx.info.namespaced, isCreate }),
    ...schemaCauses,
  ];
  if (causes.length > 0) {
    throw invalid(
      { kind: ctx.info.kind, group: ctx.info.group, name: obj.metadata.name ?? '' },
      causes,
    );
  }
}

function checkNamespace(ctx: WriteContext, obj: KubeObject): void {
  const meta = obj.metadata;
  if (!ctx.info.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== ctx.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (ctx.namespace !== undefined) meta.namespace = ctx.namespace;
}

/**
 * prepareCreate turns a request body into the object to store: type meta checked, namespace and
 * name settled (generateName), server fields set, status dropped when the status subresource
 * owns it, then prune → default → validate. Throws ApiError (400/422).
 */
export function prepareCreate(ctx: WriteContext, body: unknown): KubeObject {
  checkTypeMeta(ctx.info, body);
  const obj = body;
  checkNamespace(ctx, obj);
  const meta = obj.metadata;
  if ((meta.name === undefined || meta.name === '') && meta.generateName !== undefined) {
    meta.name = `${meta.generateName}${generateSuffix()}`;
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = ctx.now;
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete (meta as Record<string, unknown>)['selfLink'];
  if (ctx.info.statusSubresource) delete obj['status'];
  schemaPass(ctx, obj, true);
  return obj;
}

/** UpdateTarget says which part of the object an update may change. */
export type UpdateTarget = 'main' | 'status';

function specPart(obj: KubeObject, info: ResourceInfo): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...obj };
  delete rest['metadata'];
  delete rest['apiVersion'];
  delete rest['kind'];
  if (info.statusSubresource) delete rest['status'];
  return rest;
}

const SERVER_FIELDS = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'namespace',
] as const;

function keepServerMeta(current: KubeObject, next: KubeObject): void {
  const cur = current.metadata;
  const meta = next.metadata;
  if (meta.uid !== undefined && meta.uid !== '' && meta.uid !== cur.uid) {
    throw invalid({ kind: next.kind, group: '', name: cur.name ?? '' }, [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.uid',
        message: `Invalid value: "${meta.uid}": field is immutable`,
      },
    ]);
  }
  // server-managed fields always come from the stored object
  const m = meta as Record<string, unknown>;
  const c = cur as Record<string, unknown>;
  for (const k of SERVER_FIELDS) {
    if (c[k] === undefined) Reflect.deleteProperty(m, k);
    else m[k] = c[k];
  }
  delete meta.resourceVersion;
  delete meta.generateName;
  if (cur.generateName !== undefined) meta.generateName = cur.generateName;
}

// storedMembers are the root members a status write takes from the stored object unchanged
function storedMembers(current: KubeObject): ReadonlySet<string> {
  const keep = new Set(Object.keys(current));
  for (const k of ['status', 'metadata', 'apiVersion', 'kind']) keep.delete(k);
  return keep;
}

// withStatusOf is a copy of current (which may be the watch cache's, never to be changed) with
// incoming's status in place of its own, members in current's order: what a status write stores.
// The old status is not copied, only dropped.
function withStatusOf(current: KubeObject, incoming: KubeObject): KubeObject {
  const status = incoming['status'];
  const next: Record<string, unknown> = {};
  for (const k of Object.keys(current)) {
    if (k !== 'status') next[k] = cloneJson(current[k]);
    else if (status !== undefined) next[k] = status;
  }
  if (status !== undefined && !Object.hasOwn(next, 'status')) next['status'] = status;
  return next as KubeObject;
}

/**
 * prepareUpdate merges an incoming object onto the current one for the main resource or the
 * status subresource, keeps server-managed metadata, forbids new finalizers while deleting,
 * bumps generation when anything outside metadata (and status, when it is a subresource)
 * changed, then prune → default → validate.
 */
export function prepareUpdate(
  ctx: WriteContext,
  current: KubeObject,
  body: unknown,
  target: UpdateTarget,
): KubeObject {
  checkTypeMeta(ctx.info, body);
  const incoming = body;
  const name = current.metadata.name ?? '';
  if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  checkNamespace(ctx, incoming);
  let next: KubeObject;
  if (target === 'status') {
    next = withStatusOf(current, incoming);
    if (incoming.metadata.managedFields !== undefined)
      next.metadata.managedFields = incoming.metadata.managedFields;
  } else {
    next = incoming;
    next.metadata.name = name;
    if (ctx.info.statusSubresource) {
      if (current['status'] === undefined) delete next['status'];
      else next['status'] = cloneJson(current['status']);
    }
  }
  keepServerMeta(current, next);
  if (current.metadata.deletionTimestamp !== undefined) {
    const had = new Set(current.metadata.finalizers ?? []);
    if ((next.metadata.finalizers ?? []).some(f => !had.has(f))) {
      throw invalid({ kind: ctx.info.kind, group: ctx.info.group, name }, [
        {
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: 'Forbidden: no new finalizers can be added if the object is being deleted',
        },
      ]);
    }
  }
  // a status write's members besides status and metadata are the stored object's, as they were
  schemaPass(ctx, next, false, target === 'status' ? storedMembers(current) : undefined);
  // a status write keeps the stored spec, and kube never bumps generation for one
  if (
    target === 'main' &&
    !isDeepStrictEqual(specPart(current, ctx.info), specPart(next, ctx.info))
  ) {
    next.metadata.generation = (current.metadata.generation ?? 0) + 1;
  }
  return next;
}

// Where sameJson is: the root (whose metadata is special), metadata, or anywhere else.
type Level = 'root' | 'metadata' | 'inner';

// sameJson compares two values as their JSON would decode, member order aside: an undefined
// member counts as absent and an undefined array item as null; in metadata, resourceVersion is
// left out (the store keeps it apart). Anything JSON would spell differently from its value (NaN,
// a Date) compares unequal unless identical, so a doubt means "write it".
function sameJson(a: unknown, b: unknown, level: Level = 'inner'): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype) return false;
  if (Object.getPrototypeOf(b) !== Object.prototype) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const counts = (o: Record<string, unknown>, k: string): boolean =>
    o[k] !== undefined && !(level === 'metadata' && k === 'resourceVersion');
  let members = 0;
  for (const k of Object.keys(x)) {
    if (!counts(x, k)) continue;
    members += 1;
    if (!Object.hasOwn(y, k)) return false;
    // at the root, metadata last: a write's changes are mostly elsewhere, and metadata's
    // managedFields are long to walk before they differ
    if (level === 'root' && k === 'metadata') continue;
    if (!sameJson(x[k], y[k])) return false;
  }
  for (const k of Object.keys(y)) if (counts(y, k)) members -= 1;
  if (members !== 0) return false;
  return level !== 'root' || sameJson(x['metadata'], y['metadata'], 'metadata');
}

/**
 * sameStored tells whether an update would store exactly what is stored (then it is not
 * written): equal as JSON, resourceVersion aside, compared member by member without encoding.
 */
export function sameStored(current: KubeObject, next: KubeObject): boolean {
  return sameJson(current, next, 'root');
}
