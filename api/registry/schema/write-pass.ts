// The schema pass of a write in one walk: prune, default and validate each value in one visit,
// where kube (and prune.ts, defaults.ts, validate.ts) walk the object three times. The result is
// exactly that of `prune`, then `applyDefaults`, then `validate` (the same object, the same
// pruned paths, the same causes in the same order; walks-match-reference.test.ts holds it to
// the plain walks). The common shapes (objects with properties or map values, lists, scalars)
// go the fused way; a subtree whose rules differ between the three walks (an embedded
// resource, preserve-unknown-fields, a default just set, properties named like array indexes)
// is handed to the three walks one after the other, which is the same thing for that subtree.
// (Properties named like indexes: an object lists such keys first, so a default added last
// would be validated in another order than the final object's.)
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { copyOf, fill, nonNullableNull, setDefault } from './defaults.ts';
import { FieldPath } from './field-path.ts';
import type { JsonObject } from './json.ts';
import { forInIsOwn, isObject, setOwn } from './json.ts';
import { TYPE_META_FIELDS } from './meta-fields.ts';
import type { PruneWalk } from './prune.ts';
import { pruneMeta, pruneMode, pruneWalk } from './prune.ts';
import type { SchemaNode } from './schema-node.ts';
import { schemaNode } from './schema-node.ts';
import { checkJunctors } from './validate-junctors.ts';
import type { Level, ValidateWalk } from './validate.ts';
import {
  arrayTail,
  levelOf,
  objectBounds,
  requiredMembers,
  validateAlternative,
  validateNode,
} from './validate.ts';
import { checkScalar, checkType, scalarPasses, typePasses } from './validate-values.ts';

/** WritePass is what the schema pass of a write found. */
export interface WritePass {
  /** pruned are the removed fields, as prune returns them. */
  readonly pruned: string[];
  /** causes are the validation failures, as validate returns them. */
  readonly causes: StatusCause[];
}

// Pass is one fused walk: one path, and the walks of the three passes writing to its results;
// `root` is the object whose apiVersion, kind and metadata are type meta.
interface Pass {
  readonly path: FieldPath;
  readonly prune: PruneWalk;
  readonly check: ValidateWalk;
  readonly root: unknown;
  /** stored are root members left as they are (pruneDefaultValidate's `stored`). */
  readonly stored: ReadonlySet<string> | undefined;
}

// How says how a subtree handed to the three walks is walked: pruned or not (a default just
// set is not), nulls dropped or not (not inside a default), validated or not (not below a
// value whose type failed), and at which level.
interface How {
  readonly prune: boolean;
  readonly nulls: boolean;
  readonly validating: boolean;
  readonly level: Level;
}

// separately runs the three walks on one subtree (at the pass's path), one after the other.
function separately(p: Pass, x: unknown, n: SchemaNode, how: How): void {
  if (how.prune) pruneWalk(x, n, p.prune, pruneMode(n.embedded));
  fill(x, n, how.nulls);
  if (how.validating) validateNode(p.check, x, n, how.level);
}

// fused prunes, defaults and validates x under n, a schema whose three walks agree on the value
// (not embedded, not preserving unknown fields, no index-named defaults). `validating` is false
// below a value whose own type failed (validate stops there; prune and defaults go on). Nulls
// are dropped (fused never runs inside a default, which goes `separately`).
function fused(p: Pass, x: unknown, n: SchemaNode, validating: boolean): void {
  const out = p.check.out;
  if (validating && !typePasses(x, n)) {
    checkType(x, n.s, p.path.text(), out);
    validating = false;
  } else if (x === null) {
    validating = false;
  }
  const container = Array.isArray(x) || isObject(x);
  // a scalar's value checks come first; a container's (an enum of objects compares the final
  // value) are placed first once its members are final
  if (validating && !container && !scalarPasses(x, n)) checkScalar(x, n.s, p.path.text(), out);
  const mark = out.length;
  if (Array.isArray(x)) fusedArray(p, x, n, validating);
  else if (isObject(x)) fusedObject(p, x, n, validating);
  if (validating && container) head(p, x, n, mark);
  if (validating && n.junctors) {
    checkJunctors(x, n.s, p.path.text(), { sub: validateAlternative, out });
  }
}

// head puts a container's own checks (value checks, member count) before its members' causes.
function head(p: Pass, x: unknown[] | JsonObject, n: SchemaNode, mark: number): void {
  const scalar = !scalarPasses(x, n);
  const bounds = !Array.isArray(x) && n.objectBounds;
  if (!scalar && !bounds) return;
  const out = p.check.out;
  const tail = out.splice(mark);
  if (scalar) checkScalar(x, n.s, p.path.text(), out);
  if (bounds) objectBounds(p.check, Object.keys(x).length, n.s);
  for (const c of tail) out.push(c);
}

function fusedArray(p: Pass, x: unknown[], n: SchemaNode, validating: boolean): void {
  const items = n.items;
  for (let i = 0; i < x.length; i++) {
    p.path.push(i);
    if (items === undefined) {
      // nothing is known of the items: prune drops their members, the others do nothing
      pruneWalk(x[i], undefined, p.prune, pruneMode(false));
    } else if (nonNullableNull(x[i], items) && items.defaulted) {
      x[i] = copyOf(items);
      separately(p, x[i], items, { prune: false, nulls: false, validating, level: levelOf(items) });
    } else if (apart(items)) {
      const level = levelOf(items);
      separately(p, x[i], items, { prune: true, nulls: true, validating, level });
    } else {
      fused(p, x[i], items, validating);
    }
    p.path.pop();
  }
  if (validating) arrayTail(p.check, x, n);
}

// Obj is the object fusedObject is at, for its members.
interface Obj {
  readonly x: JsonObject;
  readonly n: SchemaNode;
  readonly validating: boolean;
  readonly resource: boolean;
}

function fusedObject(p: Pass, x: JsonObject, n: SchemaNode, validating: boolean): void {
  const at: Obj = { x, n, validating, resource: x === p.root };
  // for...in, filtered to own keys unless it visits nothing else anyway, is Object.keys without
  // the array; a member deletes or replaces only itself
  const own = forInIsOwn(x);
  const skip = at.resource ? p.stored : undefined;
  for (const k in x) if ((own || Object.hasOwn(x, k)) && skip?.has(k) !== true) member(p, at, k);
  for (const [k, prop] of n.withDefaults) {
    if (Object.hasOwn(x, k)) continue;
    setOwn(x, k, copyOf(prop));
    p.path.push(k);
    separately(p, x[k], prop, { prune: false, nulls: false, validating, level: levelOf(prop) });
    p.path.pop();
  }
  if (validating) requiredMembers(p.check, x, n);
}

// member prunes, defaults and validates member k of the object (the root's apiVersion, kind
// and metadata are pruned as type meta but defaulted and validated by their schemas).
function member(p: Pass, at: Obj, k: string): void {
  const { x, n, validating } = at;
  const prop = n.props.get(k);
  const field = prop ?? n.values;
  const typeMeta = at.resource && TYPE_META_FIELDS.has(k);
  const v = x[k];
  if (field === null) {
    // unknown: pruned, unless it is type meta (which keeps whatever the schema says)
    if (!typeMeta) {
      Reflect.deleteProperty(x, k);
      p.prune.out.push(p.path.childText(k));
    } else if (k === 'metadata') {
      p.path.push(k);
      pruneMeta(v, p.prune);
      p.path.pop();
    }
    return;
  }
  // most members are scalars that pass their checks: nothing to prune, default or report
  if (
    field !== undefined &&
    v !== null &&
    typeof v !== 'object' &&
    !typeMeta &&
    !apart(field) &&
    !field.junctors &&
    (!validating || (typePasses(v, field) && scalarPasses(v, field)))
  )
    return;
  p.path.push(k);
  if (typeMeta && k === 'metadata') pruneMeta(v, p.prune);
  if (field === undefined) {
    // additionalProperties true: prune drops the members below, nothing else looks at them
    if (!typeMeta) pruneWalk(v, undefined, p.prune, pruneMode(false));
  } else if (v === null && !field.nullable) {
    // a null where none is allowed takes the default, or goes (fill)
    if (field.defaulted) {
      setDefault(x, k, field, prop !== undefined);
      const level = levelOf(field);
      separately(p, x[k], field, { prune: false, nulls: false, validating, level });
    } else {
      Reflect.deleteProperty(x, k);
    }
  } else if (typeMeta || apart(field)) {
    const level = levelOf(field);
    separately(p, v, field, { prune: !typeMeta, nulls: true, validating, level });
  } else {
    fused(p, v, field, validating);
  }
  p.path.pop();
}

// apart tells a schema whose three walks differ (see the top of the file): its values go
// `separately`.
const apart = (n: SchemaNode): boolean => n.embedded || n.preserve || n.indexDefaults;

/**
 * pruneDefaultValidate is `prune(obj, schema)`, then `applyDefaults(obj, schema)`, then
 * `validate(obj, schema)` in one walk: it changes obj in place (the caller's own copy) and
 * returns the pruned paths and the causes those three calls would return. Root members named in
 * `stored` are the stored object's, unchanged (a status write's spec): they passed this same
 * walk when they were written, so they are left as they are, as kube's CRD validation ratcheting
 * leaves unchanged values unvalidated.
 */
export function pruneDefaultValidate(
  obj: unknown,
  schema: JSONSchemaProps,
  stored?: ReadonlySet<string>,
): WritePass {
  const path = new FieldPath();
  const p: Pass = {
    path,
    prune: { path, out: [] },
    check: { path, out: [], reject: false },
    root: obj,
    stored,
  };
  const n = schemaNode(schema);
  if (n.preserve || n.embedded || n.indexDefaults || !isObject(obj)) {
    // the root of another shape: the three walks, one after the other
    pruneWalk(obj, n, p.prune, pruneMode(true));
    fill(obj, n, true);
    validateNode(p.check, obj, n, 'root');
    return { pruned: p.prune.out, causes: p.check.out };
  }
  // the root is validated as a resource of level `root`: no apiVersion/kind checks of its own
  fused(p, obj, n, true);
  return { pruned: p.prune.out, causes: p.check.out };
}
