import type { IKeyValue } from 'etcd3';
import type { KubeObject } from '../../core/types/meta.ts';
import { withoutMember } from '../../core/util/without-member.ts';
import type { Rendered, Stored } from './types.ts';

/**
 * Encoded is an object's JSON as stored, and the same JSON as served at a revision (with
 * metadata.resourceVersion, last in metadata) built from the same pieces: the write's answer and
 * its watch event need not render the object again.
 */
export interface Encoded {
  readonly stored: string;
  readonly served: (rv: string) => Rendered;
}

/**
 * encodeObject renders an object as stored in etcd: JSON without metadata.resourceVersion, which
 * etcd already tracks as the key's mod_revision (kube-apiserver clears it the same way).
 */
export function encodeObject(object: KubeObject): string {
  return encodeForStore(object).stored;
}

// metadataJson is metadata's JSON without resourceVersion; a create's metadata has none (and JSON
// leaves out an undefined member): no copy then
function metadataJson(meta: object): string {
  if (
    Object.getPrototypeOf(meta) === Object.prototype &&
    (meta as { resourceVersion?: unknown }).resourceVersion === undefined
  )
    return JSON.stringify(meta);
  return JSON.stringify(withoutMember(meta, 'resourceVersion'));
}

// withVersion is metadata's JSON (without resourceVersion) with resourceVersion added last
function withVersion(metaJson: string, rv: string): string {
  const version = `"resourceVersion":${JSON.stringify(rv)}}`;
  return metaJson === '{}' ? `{${version}` : `${metaJson.slice(0, -1)},${version}`;
}

/**
 * encodeForStore renders the object member by member, metadata on its own, in the object's key
 * order: the stored JSON is what JSON.stringify gives of the object without resourceVersion, and
 * the served JSON adds resourceVersion at the end of metadata, where decoding the stored value
 * (decodeKv) and taking a noted write (own-writes.ts) put it.
 */
export function encodeForStore(object: KubeObject): Encoded {
  const meta: unknown = object.metadata;
  // no metadata object, no resourceVersion to leave out or add
  if (typeof meta !== 'object' || meta === null) {
    return {
      stored: JSON.stringify(object),
      served: rv => {
        const json = JSON.stringify(withResourceVersion(object, rv));
        return { json, lean: () => json };
      },
    };
  }
  const metaJson = metadataJson(meta);
  let before = '{';
  let after = '';
  let seenMetadata = false;
  const members = object as unknown as Record<string, unknown>;
  for (const k of Object.keys(members)) {
    if (k === 'metadata') {
      seenMetadata = true;
      continue;
    }
    const v = JSON.stringify(members[k]);
    if (v === undefined) continue; // JSON leaves such members out
    const member = `${JSON.stringify(k)}:${v}`;
    if (seenMetadata) after += `,${member}`;
    else before += before === '{' ? member : `,${member}`;
  }
  const open = before === '{' ? `${before}"metadata":` : `${before},"metadata":`;
  // the lean metadata (no managedFields) only once a watcher or an answer asks for it
  let leanMeta: string | undefined;
  const lean = (rv: string): string => {
    leanMeta ??=
      (meta as { managedFields?: unknown }).managedFields === undefined
        ? metaJson
        : metadataJson(withoutMember(meta, 'managedFields'));
    return `${open}${withVersion(leanMeta, rv)}${after}}`;
  };
  return {
    stored: `${open}${metaJson}${after}}`,
    served: rv => ({ json: `${open}${withVersion(metaJson, rv)}${after}}`, lean: () => lean(rv) }),
  };
}

/** withResourceVersion copies an object (and its metadata) with resourceVersion set to rv. */
export function withResourceVersion(object: KubeObject, rv: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: rv } };
}

/**
 * decodeKv parses a stored value and fills metadata.resourceVersion from mod_revision. A value
 * that is not an object's JSON (a foreign key under our prefix) gives undefined: callers skip
 * and log it rather than fail a whole list or watch.
 */
export function decodeKv(kv: IKeyValue): Stored | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(kv.value.toString());
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const object = parsed as KubeObject;
  // a fresh parse that nobody else holds, so setting the field in place is safe
  if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
  object.metadata.resourceVersion = kv.mod_revision;
  return { key: kv.key.toString(), object, rv: kv.mod_revision };
}
