import { invalid } from '../../core/errors/index.ts';
import { checkTypeMeta, prepareUpdate } from '../registry/strategy.ts';
import { decodeBody } from '../server/body.ts';
import { setWarnings } from '../server/respond.ts';
import type { Admission } from './admission.ts';
import type { ResourceRequest } from './context.ts';
import { writeContextOf } from './context.ts';
import { sendObject } from './render.ts';
import { guaranteedUpdate, withManagedFields } from './write-path.ts';

/**
 * update answers PUT on an object or its /status. Custom resources require a resourceVersion
 * (kube's AllowUnconditionalUpdate=false): missing → 422, stale → 409. No create-on-PUT.
 */
export async function update(r: ResourceRequest, admission: Admission): Promise<void> {
  const body = decodeBody(r.req.body, r.req.get('content-type'));
  checkTypeMeta(r.info, body);
  const rv = body.metadata.resourceVersion;
  if (rv === undefined || rv === '') {
    throw invalid({ kind: r.info.kind, group: r.info.group, name: r.name ?? '' }, [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  }
  const ctx = writeContextOf(r);
  const target = r.subresource === 'status' ? 'status' : 'main';
  // the decoded body becomes the next object (prepareUpdate changes it in place); a second
  // attempt (a no-op computed from the cache's copy is checked again) decodes its own
  let fresh: unknown = body;
  const result = await guaranteedUpdate(
    r,
    async current => {
      const incoming = fresh ?? decodeBody(r.req.body, r.req.get('content-type'));
      fresh = undefined;
      ctx.warnings.length = 0;
      const next = prepareUpdate(ctx, current.object, incoming, target);
      withManagedFields(r, current.object, next, ctx.now);
      await admission.admitUpdate(r, current.object, next);
      return next;
    },
    rv,
  );
  setWarnings(r.res, ctx.warnings);
  sendObject(r, 200, result.object, result.rendered);
}
