import type { KubeObject } from '../../core/types/meta.ts';
import { badRequest } from '../../core/errors/index.ts';
import { mergePatch } from '../patch/index.ts';
import { prepareUpdate } from '../registry/strategy.ts';
import { decodeBody, mediaType } from '../server/body.ts';
import { sendJson } from '../server/respond.ts';
import type { Admission } from './admission.ts';
import type { ResourceRequest } from './context.ts';
import { readOrThrow, writeContextOf } from './context.ts';
import { guaranteedUpdate } from './write-path.ts';

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] ?? ''] = value;
}

function toScale(r: ResourceRequest, obj: KubeObject): unknown {
  const scale = r.info.scale;
  const m = obj.metadata;
  const replicas = scale === undefined ? undefined : readPath(obj, scale.specReplicasPath);
  const status = scale === undefined ? undefined : readPath(obj, scale.statusReplicasPath);
  const selector =
    scale?.labelSelectorPath === undefined ? undefined : readPath(obj, scale.labelSelectorPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
    status: {
      replicas: typeof status === 'number' ? status : 0,
      ...(typeof selector === 'string' ? { selector } : {}),
    },
  };
}

/** getScale answers GET on /scale with an autoscaling/v1 Scale. */
export async function getScale(r: ResourceRequest): Promise<void> {
  sendJson(r.res, 200, toScale(r, (await readOrThrow(r)).object));
}

/** updateScale answers PUT/PATCH (merge) on /scale by writing spec replicas on the parent. */
export async function updateScale(r: ResourceRequest, admission: Admission): Promise<void> {
  const scale = r.info.scale;
  if (scale === undefined) throw badRequest('this resource has no scale subresource');
  const body = decodeBody(r.req.body, r.req.get('content-type'));
  const isPatch = r.req.method.toUpperCase() === 'PATCH';
  if (isPatch && mediaType(r.req.get('content-type')) !== 'application/merge-patch+json') {
    throw badRequest('only merge patches are supported on the scale subresource');
  }
  const ctx = writeContextOf(r);
  const result = await guaranteedUpdate(r, async current => {
    const desired = (isPatch ? mergePatch(toScale(r, current.object), body) : body) as {
      spec?: { replicas?: unknown };
    };
    const replicas = desired.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw badRequest('spec.replicas must be a non-negative integer');
    }
    const next = structuredClone(current.object);
    writePath(next, scale.specReplicasPath, replicas);
    const prepared = prepareUpdate(ctx, current.object, next, 'main');
    await admission.admitUpdate(r, current.object, prepared);
    return prepared;
  });
  sendJson(r.res, 200, toScale(r, result.object));
}
