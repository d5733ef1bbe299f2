// The paths of one resource, shaped like apiextensions' OpenAPI builder output: collection
// (list/create/deletecollection, plus the all-namespaces list of a namespaced kind), item
// (read/replace/patch/delete) and the status/scale item paths. Every operation carries the
// kind's GVK as an object; PATCH accepts exactly JSON patch, merge patch and apply patch, never
// strategic merge patch (kubectl would then send one for a custom kind).
import type { ResourceInfo } from '../registry/resource-info.ts';
import {
  CREATE_PARAMS,
  DELETE_PARAMS,
  LIST_PARAMS,
  PATCH_PARAMS,
  pathParam,
  PRETTY,
} from './openapi-params.ts';
import {
  gvPathPrefix,
  META_PREFIX,
  modelName,
  operationId,
  operationTag,
  SCALE_MODEL,
  schemaRef,
} from './openapi-names.ts';
import type { MediaTypes, Operation, Parameter, PathItem } from './openapi-types.ts';
import { resourceVerbs } from './served.ts';

/** PATCH_CONTENT_TYPES are the patch media types custom kinds accept. */
export const PATCH_CONTENT_TYPES: readonly string[] = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

type Verb = 'list' | 'create' | 'deletecollection' | 'read' | 'replace' | 'patch' | 'delete';
type Action = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'patch' | 'delete';

const ACTION: Record<Verb, Action> = {
  list: 'list',
  create: 'post',
  deletecollection: 'deletecollection',
  read: 'get',
  replace: 'put',
  patch: 'patch',
  delete: 'delete',
};

interface OpSpec {
  verb: Verb;
  sub?: 'status' | 'scale';
  allNamespaces?: boolean;
}

const json = (model: string): MediaTypes => ({ 'application/json': { schema: schemaRef(model) } });
const any = (model: string): MediaTypes => ({ '*/*': { schema: schemaRef(model) } });

/** article is kube's "a"/"an" before a kind in operation descriptions. */
function article(kind: string): string {
  return /^[aeiou]/i.test(kind) ? 'an' : 'a';
}

function describe(r: ResourceInfo, op: OpSpec): string {
  const of = op.sub === undefined ? '' : ` ${op.sub} of`;
  switch (op.verb) {
    case 'list':
      return `list objects of kind ${r.kind}`;
    case 'create':
    case 'delete':
      return `${op.verb} ${article(r.kind)} ${r.kind}`;
    case 'deletecollection':
      return `delete collection of ${r.kind}`;
    case 'read':
    case 'replace':
      return `${op.verb}${of} the specified ${r.kind}`;
    case 'patch':
      return `partially update${of} the specified ${r.kind}`;
  }
}

function opId(r: ResourceInfo, op: OpSpec): string {
  const scope = r.namespaced && op.allNamespaces !== true ? 'Namespaced' : '';
  const sub = op.sub === undefined ? '' : op.sub.charAt(0).toUpperCase() + op.sub.slice(1);
  const suffix = op.allNamespaces === true ? 'ForAllNamespaces' : '';
  const collection = op.verb === 'deletecollection' ? 'Collection' : '';
  const verb = op.verb === 'deletecollection' ? 'delete' : op.verb;
  const rest = `${collection}${scope}${r.kind}${sub}${suffix}`;
  return operationId({ verb, group: r.group, version: r.version, rest });
}

function operation(r: ResourceInfo, op: OpSpec): Operation {
  const kind = op.sub === 'scale' ? SCALE_MODEL : modelName(r.group, r.version, r.kind);
  const status = `${META_PREFIX}Status`;
  const ok = (model: string): Operation['responses'] => ({
    '200': { description: 'OK', content: json(model) },
  });
  const shape = ((): Pick<Operation, 'parameters' | 'requestBody' | 'responses'> => {
    switch (op.verb) {
      case 'list':
        return {
          parameters: [...LIST_PARAMS],
          responses: ok(modelName(r.group, r.version, r.listKind)),
        };
      case 'create':
        return {
          parameters: [...CREATE_PARAMS],
          requestBody: { content: any(kind), required: true },
          responses: {
            ...ok(kind),
            '201': { description: 'Created', content: json(kind) },
            '202': { description: 'Accepted', content: json(kind) },
          },
        };
      case 'deletecollection':
        return { parameters: [...LIST_PARAMS], responses: ok(status) };
      case 'read':
        return { responses: ok(kind) };
      case 'replace':
        return {
          parameters: [...CREATE_PARAMS],
          requestBody: { content: any(kind), required: true },
          responses: { ...ok(kind), '201': { description: 'Created', content: json(kind) } },
        };
      case 'patch': {
        const patch = schemaRef(`${META_PREFIX}Patch`);
        const content = Object.fromEntries(PATCH_CONTENT_TYPES.map(t => [t, { schema: patch }]));
        return {
          parameters: [...PATCH_PARAMS],
          requestBody: { content: structuredClone(content), required: true },
          responses: ok(kind),
        };
      }
      case 'delete':
        return {
          parameters: [...DELETE_PARAMS],
          requestBody: { content: any(`${META_PREFIX}DeleteOptions`) },
          responses: { ...ok(status), '202': { description: 'Accepted', content: json(status) } },
        };
    }
  })();
  return {
    tags: [operationTag(r.group, r.version)],
    description: describe(r, op),
    operationId: opId(r, op),
    ...shape,
    responses: { ...shape.responses, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': ACTION[op.verb],
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
  };
}

function pathItem(
  r: ResourceInfo,
  params: Parameter[],
  ops: Partial<Record<keyof PathItem, OpSpec>>,
): PathItem {
  const item: PathItem = { parameters: [...params, PRETTY] };
  if (ops.get !== undefined) item.get = operation(r, ops.get);
  if (ops.post !== undefined) item.post = operation(r, ops.post);
  if (ops.put !== undefined) item.put = operation(r, ops.put);
  if (ops.patch !== undefined) item.patch = operation(r, ops.patch);
  if (ops.delete !== undefined) item.delete = operation(r, ops.delete);
  return item;
}

/** resourcePaths returns every OpenAPI path of one resource, keyed by URL template. */
export function resourcePaths(r: ResourceInfo): Record<string, PathItem> {
  const prefix = gvPathPrefix(r.group, r.version);
  const paths: Record<string, PathItem> = {};
  const nsParams = r.namespaced ? [pathParam('namespace', r.kind)] : [];
  const collection = r.namespaced
    ? `${prefix}/namespaces/{namespace}/${r.plural}`
    : `${prefix}/${r.plural}`;
  if (r.namespaced) {
    paths[`${prefix}/${r.plural}`] = pathItem(r, [], {
      get: { verb: 'list', allNamespaces: true },
    });
  }
  paths[collection] = pathItem(r, nsParams, {
    get: { verb: 'list' },
    post: { verb: 'create' },
    // only what discovery advertises (core/v1 namespaces have no deletecollection)
    ...(resourceVerbs(r).includes('deletecollection')
      ? { delete: { verb: 'deletecollection' } }
      : {}),
  });
  const itemParams = [pathParam('name', r.kind), ...nsParams];
  paths[`${collection}/{name}`] = pathItem(r, itemParams, {
    get: { verb: 'read' },
    put: { verb: 'replace' },
    patch: { verb: 'patch' },
    delete: { verb: 'delete' },
  });
  const subs = [
    ...(r.statusSubresource ? (['status'] as const) : []),
    ...(r.scale !== undefined ? (['scale'] as const) : []),
  ];
  for (const sub of subs) {
    paths[`${collection}/{name}/${sub}`] = pathItem(r, itemParams, {
      get: { verb: 'read', sub },
      put: { verb: 'replace', sub },
      patch: { verb: 'patch', sub },
    });
  }
  return paths;
}
