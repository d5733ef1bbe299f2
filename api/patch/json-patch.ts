import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ApiError, badRequest } from '../../core/errors/index.ts';
import { cloneJson, isJsonObject } from './json-value.ts';

/** MAX_JSON_PATCH_OPERATIONS is kube's cap on one JSON patch (`maxJSONPatchOperations`). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

const RFC6902_OPS: ReadonlySet<string> = new Set([
  'add',
  'remove',
  'replace',
  'move',
  'copy',
  'test',
]);

const goKind = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v;

/**
 * jsonPatch applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test) with
 * fast-json-patch's operation validation on. Inputs are never mutated.
 *
 * Errors follow kube's `jsonPatcher.applyJSPatch`:
 * - a body that does not decode as a list of operation objects ⇒ 400 BadRequest (kube fails in
 *   `jsonpatch.DecodePatch` with Go's unmarshal message);
 * - more than 10000 operations ⇒ 413 RequestEntityTooLarge;
 * - an operation that cannot be applied (unknown op, missing value, unresolvable path, failed
 *   `test`) ⇒ 422 Invalid with kube's fixed message `the server rejected our request due to an
 *   error in our request` (`NewGenericServerResponse(422)`); kube drops the detail, we keep it in
 *   one cause naming the operation's path so a human can see what failed.
 */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  const bad: unknown = ops.find((op: unknown) => !isJsonObject(op));
  if (bad !== undefined) {
    throw badRequest(
      `json: cannot unmarshal ${goKind(bad)} into Go value of type jsonpatch.Operation`,
    );
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new ApiError(
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  // The library accepts its private `_get` op; kube (evanphx/json-patch) rejects anything else.
  const ops2 = ops as Record<string, unknown>[];
  const unknownOp = ops2.find(op => typeof op.op !== 'string' || !RFC6902_OPS.has(op.op));
  if (unknownOp !== undefined)
    throw cannotApply(`Unexpected kind: ${String(unknownOp.op)}`, unknownOp);

  const doc = cloneJson(target);
  const copied = cloneJson(ops2) as unknown as Operation[];
  try {
    // mutateDocument=true is safe: `doc` is our own deep copy.
    return jsonpatch.applyPatch(doc, copied, true, true).newDocument;
  } catch (e) {
    if (e instanceof jsonpatch.JsonPatchError) {
      const op = typeof e.index === 'number' ? ops2[e.index] : undefined;
      throw cannotApply(e.message.split('\n')[0] ?? e.message, op);
    }
    // The library throws a TypeError for `__proto__`/`constructor` paths it refuses to touch.
    if (e instanceof TypeError) throw cannotApply(e.message, undefined);
    throw e;
  }
}

function cannotApply(detail: string, op: Record<string, unknown> | undefined): ApiError {
  const path = typeof op?.path === 'string' ? op.path : undefined;
  const what = op === undefined ? detail : `${String(op.op)} ${path ?? ''}: ${detail}`;
  return new ApiError('Invalid', 'the server rejected our request due to an error in our request', {
    causes: [
      path === undefined
        ? { reason: 'FieldValueInvalid', message: what }
        : { reason: 'FieldValueInvalid', message: what, field: path },
    ],
  });
}
