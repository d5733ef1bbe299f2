// The full list form of resources used by the CRDs: one object per resource, every field explicit.
import type { DiskInfo, DiskSource, Persistence, Volume } from './disk.ts';
import { deepFreeze } from '../util/deep-freeze.ts';
import { TextMemo, exactJsonText } from './memo.ts';
import { ResourceParseError } from './parse-error.ts';
import * as u from './parse-util.ts';
import { parseRangesValue, parseScalarValue, parseSetValue } from './parse-values.ts';
import type { ReservationInfo } from './reservation.ts';
import { makeLabels, validateReservations } from './reservation.ts';
import type { Resource, ResourceValue, ValueType } from './resource.ts';
import { validateResource } from './resource.ts';
import { Resources } from './resources.ts';
import { validateRole } from './roles.ts';

const RESOURCE_KEYS = [
  'name',
  'type',
  'scalar',
  'ranges',
  'set',
  'reservations',
  'disk',
  'revocable',
  'shared',
  'providerId',
  'allocationRole',
] as const;
const VALUE_KEYS = ['scalar', 'ranges', 'set'] as const;
const VALUE_TYPE: Readonly<Record<(typeof VALUE_KEYS)[number], ValueType>> = {
  scalar: 'SCALAR',
  ranges: 'RANGES',
  set: 'SET',
};

/**
 * parseResourceList reads the list form, `[{ name, type?, scalar|ranges|set, reservations?,
 * disk?, revocable?, shared?, providerId?, allocationRole? }]`, into Resources. Exactly one value
 * field is required; `type`, when given, must match it. Unknown fields are rejected. Equal shared
 * volumes listed twice are held twice (count 2). Throws a ResourceParseError naming the field.
 */
export function parseResourceList(input: unknown, field = 'resources'): Resources {
  const text = exactJsonText(input);
  if (text === undefined) return parseList(input, field);
  // a list that fails is not remembered: its error names the field, which differs per call
  return LISTS.get(text, () => frozen(parseList(input, field)));
}

// frozen freezes every resource of a collection, deep, before it is shared: a caller that
// changed one in place would change it for every later caller.
function frozen(resources: Resources): Resources {
  for (const r of resources) deepFreeze(r);
  return resources;
}

// Parsed lists by their JSON text: the API server checks the resources of every Offer it
// stores, and an allocation cycle offers the same lists over and over (every free agent of a
// kind, whole). The values are immutable (Resources, frozen Resource objects), so sharing one
// between callers is safe.
const LISTS = new TextMemo<Resources>(256);

function parseList(input: unknown, field: string): Resources {
  const list = u.asArray(input, field).map((item, i) => parseResourceSpec(item, `${field}[${i}]`));
  checkConsistentTypes(list, field);
  return Resources.from(list);
}

/** parseResourceSpec reads one list-form item into a validated Resource. */
export function parseResourceSpec(input: unknown, field: string): Resource {
  const o = u.asObject(input, field);
  u.checkKeys(o, RESOURCE_KEYS, field);
  const name = u.asString(o['name'], `${field}.name`);
  const present = VALUE_KEYS.filter(k => o[k] !== undefined);
  const [key] = present;
  if (key === undefined || present.length > 1) {
    throw new ResourceParseError(field, 'exactly one of scalar, ranges or set is required');
  }
  if (o['type'] !== undefined) {
    const declared = u.asEnum(o['type'], ['SCALAR', 'RANGES', 'SET'], `${field}.type`);
    if (declared !== VALUE_TYPE[key]) {
      throw new ResourceParseError(
        `${field}.type`,
        `is ${declared} but the value is given as ${key}`,
      );
    }
  }
  const value = parseValue(name, key, o[key], `${field}.${key}`);
  const reservations = parseReservations(o['reservations'], `${field}.reservations`);
  const disk = o['disk'] === undefined ? undefined : parseDisk(o['disk'], `${field}.disk`);
  const providerId = u.optString(o['providerId'], `${field}.providerId`);
  const allocationRole = u.optString(o['allocationRole'], `${field}.allocationRole`);
  if (allocationRole !== undefined) checkRole(allocationRole, `${field}.allocationRole`);
  const r: Resource = {
    name,
    value,
    reservations,
    ...(disk === undefined ? {} : { disk }),
    revocable: u.optBool(o['revocable'], `${field}.revocable`),
    shared: u.optBool(o['shared'], `${field}.shared`),
    ...(providerId === undefined ? {} : { providerId }),
    ...(allocationRole === undefined ? {} : { allocationRole }),
  };
  const bad = validateResource(r);
  if (bad !== undefined) throw new ResourceParseError(field, bad);
  return r;
}

function parseValue(
  name: string,
  key: (typeof VALUE_KEYS)[number],
  input: unknown,
  field: string,
): ResourceValue {
  switch (key) {
    case 'scalar':
      return parseScalarValue(name, input, field);
    case 'ranges':
      return parseRangesValue(input, field);
    case 'set':
      return parseSetValue(input, field);
  }
}

function parseReservations(input: unknown, field: string): readonly ReservationInfo[] {
  if (input === undefined) return [];
  const stack = u.asArray(input, field).map((item, i): ReservationInfo => {
    const at = `${field}[${i}]`;
    const o = u.asObject(item, at);
    u.checkKeys(o, ['type', 'role', 'principal', 'labels'], at);
    const role = u.asString(o['role'], `${at}.role`);
    checkRole(role, `${at}.role`);
    const principal = u.optString(o['principal'], `${at}.principal`);
    const labels =
      o['labels'] === undefined
        ? undefined
        : makeLabels(u.asStringMap(o['labels'], `${at}.labels`));
    return {
      type: u.asEnum(o['type'], ['STATIC', 'DYNAMIC'], `${at}.type`),
      role,
      ...(principal === undefined ? {} : { principal }),
      ...(labels === undefined ? {} : { labels }),
    };
  });
  const bad = validateReservations(stack);
  if (bad !== undefined) throw new ResourceParseError(field, bad);
  return stack;
}

function parseDisk(input: unknown, field: string): DiskInfo {
  const o = u.asObject(input, field);
  u.checkKeys(o, ['persistence', 'volume', 'source'], field);
  let persistence: Persistence | undefined;
  if (o['persistence'] !== undefined) {
    const at = `${field}.persistence`;
    const p = u.asObject(o['persistence'], at);
    u.checkKeys(p, ['id', 'principal'], at);
    const principal = u.optString(p['principal'], `${at}.principal`);
    persistence = {
      id: u.asString(p['id'], `${at}.id`),
      ...(principal === undefined ? {} : { principal }),
    };
  }
  let volume: Volume | undefined;
  if (o['volume'] !== undefined) {
    const at = `${field}.volume`;
    const v = u.asObject(o['volume'], at);
    u.checkKeys(v, ['containerPath', 'mode'], at);
    volume = {
      containerPath: u.asString(v['containerPath'], `${at}.containerPath`),
      mode: u.asEnum(v['mode'] ?? 'RW', ['RW', 'RO'], `${at}.mode`),
    };
  }
  const source =
    o['source'] === undefined ? undefined : parseSource(o['source'], `${field}.source`);
  return {
    ...(persistence === undefined ? {} : { persistence }),
    ...(volume === undefined ? {} : { volume }),
    ...(source === undefined ? {} : { source }),
  };
}

function parseSource(input: unknown, field: string): DiskSource | undefined {
  const o = u.asObject(input, field);
  u.checkKeys(o, ['type', 'root', 'vendor', 'id', 'profile', 'metadata'], field);
  const type = u.asEnum(o['type'], ['ROOT', 'PATH', 'MOUNT', 'BLOCK', 'RAW'], `${field}.type`);
  if (type === 'ROOT') {
    // ROOT is how Mesos spells "no source"; it carries nothing else.
    if (Object.keys(o).length > 1)
      throw new ResourceParseError(field, 'a ROOT source takes no other field');
    return undefined;
  }
  const source: { -readonly [K in keyof DiskSource]: DiskSource[K] } = {
    type,
  };
  for (const key of ['root', 'vendor', 'id', 'profile'] as const) {
    const value = u.optString(o[key], `${field}.${key}`);
    if (value !== undefined) source[key] = value;
  }
  if (source.root !== undefined && (type === 'BLOCK' || type === 'RAW')) {
    throw new ResourceParseError(`${field}.root`, `must not be set for a ${type} disk source`);
  }
  if (o['metadata'] !== undefined) {
    const metadata = makeLabels(u.asStringMap(o['metadata'], `${field}.metadata`));
    if (metadata !== undefined) source.metadata = metadata;
  }
  return source;
}

function checkRole(role: string, field: string): void {
  const bad = validateRole(role);
  if (bad !== undefined) throw new ResourceParseError(field, bad);
}

/**
 * checkConsistentTypes rejects two resources with the same name and different types, as Mesos
 * does for agent resources (`foo(a):1;foo(b):[0-1]`).
 */
export function checkConsistentTypes(list: readonly Resource[], field: string): void {
  const seen = new Map<string, ValueType>();
  for (const r of list) {
    const before = seen.get(r.name);
    if (before !== undefined && before !== r.value.type) {
      throw new ResourceParseError(
        field,
        `resources named ${r.name} have different types (${before} and ${r.value.type})`,
      );
    }
    seen.set(r.name, r.value.type);
  }
}
