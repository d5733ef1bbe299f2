import { ApiError } from '../../core/errors/index.ts';
import { prepareCreate } from '../registry/strategy.ts';
import { setWarnings } from '../server/respond.ts';
import { decodeBody } from '../server/body.ts';
import type { ResourceRequest } from './context.ts';
import { writeContextOf } from './context.ts';
import { sendObject } from './render.ts';
import { createObject, withManagedFields } from './write-path.ts';
import { createList, isListBody } from './create-list.ts';
import type { Admission } from './admission.ts';

/** create answers POST on a collection: 201 with the stored object (or a List: create-list.ts). */
export async function create(r: ResourceRequest, admission: Admission): Promise<void> {
  if (r.name !== undefined) {
    throw new ApiError(
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const body = decodeBody(r.req.body, r.req.get('content-type'));
  if (isListBody(r, body)) return createList(r, admission, body);
  if (r.info.namespaced && r.namespace === undefined) {
    // kube has no create on the all-namespaces path; Corral allows it only for Lists
    throw new ApiError(
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const ctx = writeContextOf(r);
  const obj = withManagedFields(r, undefined, prepareCreate(ctx, body), ctx.now);
  await admission.admitCreate(r, obj);
  const stored = await createObject(r, obj);
  setWarnings(r.res, ctx.warnings);
  sendObject(r, 201, stored.object, stored.rendered);
}
