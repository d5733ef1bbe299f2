// Telling a value that is JSON exactly: one whose JSON text gives it back as it is, so that the
// text can stand for it (a memo key) or a decode of that text can be skipped.

/**
 * jsonPrototypesClean tells that JSON and for...in see plain objects and arrays as they are:
 * neither prototype has a toJSON, and Object.prototype has no enumerable member. Check it
 * before trusting isPlainJson, whose walk relies on it.
 */
export function jsonPrototypesClean(): boolean {
  if (Object.hasOwn(Object.prototype, 'toJSON') || Object.hasOwn(Array.prototype, 'toJSON'))
    return false;
  for (const _ in Object.prototype) return false;
  return true;
}

// Frozen objects found plain with everything in them frozen and plain too: such a subtree
// cannot change, so it is checked once (the interned managedFields tries are shared so).
const plainFrozen = new WeakSet<object>();

/**
 * isPlainJson tells whether v is made of JSON values only: no undefined (as a member or an
 * item), function, symbol or bigint anywhere, no -0, NaN or ±Infinity, no holes, no class
 * instances, no `__proto__` or `toJSON` members.
 */
export function isPlainJson(v: unknown): boolean {
  if (typeof v === 'object' && v !== null && Object.isFrozen(v)) {
    if (plainFrozen.has(v)) return true;
    if (!plainValue(v)) return false;
    const members: unknown[] = Object.values(v);
    if (members.every(x => typeof x !== 'object' || x === null || plainFrozen.has(x)))
      plainFrozen.add(v);
    return true;
  }
  return plainValue(v);
}

/**
 * isFrozenPlain tells whether v is frozen, plain JSON, and so is everything in it: a value nothing
 * can change, which a copy may share instead of copying.
 */
export function isFrozenPlain(v: object): boolean {
  return Object.isFrozen(v) && isPlainJson(v) && plainFrozen.has(v);
}

function plainValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        // a hole reads as undefined: not plain
        for (let i = 0; i < v.length; i++) if (!isPlainJson(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      // for...in visits the own keys only once jsonPrototypesClean holds
      for (const k in o)
        if (k === '__proto__' || k === 'toJSON' || !isPlainJson(o[k])) return false;
      return true;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
  }
}
