import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../../core/errors/index.ts';
import { decodeKubeProtobuf } from './kube-protobuf.ts';

/** PatchType is one of the patch media types we accept for custom resources. */
export type PatchType = 'merge' | 'json' | 'apply' | 'strategic';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
  'application/strategic-merge-patch+json': 'strategic',
};

/** mediaType strips parameters from a Content-Type header. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** patchTypeOf maps a Content-Type to a PatchType, or undefined for unsupported types. */
export function patchTypeOf(header: string | undefined): PatchType | undefined {
  return PATCH_TYPES[mediaType(header)];
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** isProtobufBody tells whether a request's Content-Type is kube's protobuf. */
export const isProtobufBody = (contentType: string | undefined): boolean =>
  mediaType(contentType) === PROTOBUF;

/**
 * bodyText is a request body as text: a plain body arrives as text already (resource-route.ts),
 * one read by express.raw (inflated) as bytes; no body is ''.
 */
export const bodyText = (raw: unknown): string =>
  typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';

/**
 * decodeBody parses a request body as JSON, or YAML for apply patches and YAML uploads: raw
 * bytes, or text already decoded from UTF-8 (see resource-route.ts).
 */
export function decodeBody(raw: unknown, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF) return decodeKubeProtobuf(Buffer.isBuffer(raw) ? raw : Buffer.alloc(0));
  const text = bodyText(raw);
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (type === 'application/apply-patch+yaml' || type === 'application/yaml') {
    try {
      return parseYaml(text, { uniqueKeys: true }) as unknown;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  if (type === 'application/cbor') {
    throw new ApiError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`error decoding JSON body: ${(e as Error).message}`);
  }
}
