import type { KubeObject } from '../../core/types/meta.ts';
import { ApiError, conflict, invalid } from '../../core/errors/index.ts';
import { jsonPatch, mergePatch, serverSideApply } from '../patch/index.ts';
import { cloneJson } from '../patch/json-value.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import {
  checkTypeMeta,
  prepareCreate,
  prepareUpdate,
  type WriteContext,
} from '../registry/strategy.ts';
import { decodeBody, patchTypeOf, type PatchType } from '../server/body.ts';
import { setWarnings } from '../server/respond.ts';
import type { Admission } from './admission.ts';
import type { ResourceRequest } from './context.ts';
import { keyOf, resourceRef, writeContextOf } from './context.ts';
import { sendObject } from './render.ts';
import { createObject, guaranteedUpdate, managerOf, withManagedFields } from './write-path.ts';
import { stripStrategicDirectives } from './strategic.ts';

const PATCH_OPTIONS = { kind: 'PatchOptions', group: 'meta.k8s.io', name: '' };
const ACCEPTED =
  'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

/** BUILTIN_GROUPS are groups whose kinds kubectl patches with strategic merge patch. */
const STRATEGIC_OK = new Set(['', 'coordination.k8s.io']);

function patchTypeFor(r: ResourceRequest): PatchType {
  const type = patchTypeOf(r.req.get('content-type'));
  if (type === undefined || (type === 'strategic' && !STRATEGIC_OK.has(r.info.group))) {
    const media = r.req.get('content-type') ?? '';
    throw new ApiError(
      'UnsupportedMediaType',
      `${media} is not supported by ${apiVersionOf(r.info)}, Kind=${r.info.kind}: the body of the request was in an unknown format - accepted media types include: ${ACCEPTED}`,
    );
  }
  return type;
}

function checkPatchOptions(
  r: ResourceRequest,
  type: PatchType,
): { manager: string; force: boolean } {
  const force = r.query['force'] === 'true';
  const manager = r.query['fieldManager'] ?? '';
  if (type === 'apply' && manager === '') {
    throw invalid(PATCH_OPTIONS, [
      {
        reason: 'FieldValueRequired',
        field: 'fieldManager',
        message: 'Required value: is required for apply patch',
      },
    ]);
  }
  if (type !== 'apply' && r.query['force'] !== undefined) {
    throw invalid(PATCH_OPTIONS, [
      {
        reason: 'FieldValueForbidden',
        field: 'force',
        message: 'Forbidden: may not be specified for non-apply patch',
      },
    ]);
  }
  if (manager.length > 128) {
    throw invalid(PATCH_OPTIONS, [
      {
        reason: 'FieldValueTooLong',
        field: 'fieldManager',
        message: 'Too long: may not be longer than 128',
      },
    ]);
  }
  return { manager: type === 'apply' ? manager : managerOf(r), force };
}

function applyPatch(
  type: Exclude<PatchType, 'apply'>,
  current: KubeObject,
  patch: unknown,
): unknown {
  switch (type) {
    case 'merge':
      return mergePatch(current, patch);
    case 'strategic':
      return mergePatch(current, stripStrategicDirectives(patch));
    case 'json':
      return jsonPatch(current, patch);
  }
}

/** patch answers PATCH on an object or its /status: merge, JSON, apply (SSA), strategic for built-ins. */
export async function patch(r: ResourceRequest, admission: Admission): Promise<void> {
  const type = patchTypeFor(r);
  const { manager, force } = checkPatchOptions(r, type);
  const body = decodeBody(r.req.body, r.req.get('content-type'));
  const ctx = writeContextOf(r);
  const target = r.subresource === 'status' ? 'status' : 'main';
  if (type === 'apply') {
    const existing = await r.deps.store.get(keyOf(r));
    if (existing === undefined) {
      await applyCreate(r, admission, { ctx, body, manager, force });
      return;
    }
  }
  const result = await guaranteedUpdate(r, async current => {
    // current may be the watch cache's copy: patches work on copies (jsonPatch makes its own)
    ctx.warnings.length = 0;
    let next: unknown;
    if (type === 'apply') {
      checkTypeMeta(r.info, body);
      next = serverSideApply({
        live: cloneJson(current.object),
        applied: cloneJson(body),
        schema: r.info.schema,
        manager,
        force,
        apiVersion: apiVersionOf(r.info),
        ...(r.subresource === undefined ? {} : { subresource: r.subresource }),
        now: ctx.now,
      });
    } else {
      next = applyPatch(type, type === 'json' ? current.object : cloneJson(current.object), body);
    }
    const pinned = (next as KubeObject | undefined)?.metadata?.resourceVersion;
    if (pinned !== undefined && pinned !== current.rv) throw conflict(resourceRef(r));
    const prepared = prepareUpdate(ctx, current.object, next, target);
    if (type !== 'apply') withManagedFields(r, current.object, prepared, ctx.now);
    await admission.admitUpdate(r, current.object, prepared);
    return prepared;
  });
  setWarnings(r.res, ctx.warnings);
  sendObject(r, 200, result.object, result.rendered);
}

interface ApplyCreate {
  readonly ctx: WriteContext;
  readonly body: unknown;
  readonly manager: string;
  readonly force: boolean;
}

/**
 * applyCreate is server-side apply on a missing object: it creates it (201), through the same
 * admission as any create (namespace lifecycle, Corral's cross-field rules, a Task's first status).
 */
async function applyCreate(
  r: ResourceRequest,
  admission: Admission,
  a: ApplyCreate,
): Promise<void> {
  checkTypeMeta(r.info, a.body);
  if (a.body.metadata.name !== undefined && a.body.metadata.name !== r.name) {
    throw new ApiError(
      'BadRequest',
      `the name of the object (${a.body.metadata.name}) does not match the name on the URL (${r.name ?? ''})`,
    );
  }
  const merged = serverSideApply({
    live: undefined,
    applied: a.body,
    schema: r.info.schema,
    manager: a.manager,
    force: a.force,
    apiVersion: apiVersionOf(r.info),
    now: a.ctx.now,
  });
  merged.metadata.name = r.name ?? '';
  const managed = merged.metadata.managedFields;
  const obj = prepareCreate(a.ctx, merged);
  if (managed !== undefined) obj.metadata.managedFields = managed;
  await admission.admitCreate(r, obj);
  const stored = await createObject(r, obj);
  setWarnings(r.res, a.ctx.warnings);
  sendObject(r, 201, stored.object, stored.rendered);
}
