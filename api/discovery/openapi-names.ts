// Names kube gives things in its OpenAPI documents: model names, operation ids, tags, paths.

/** META_PREFIX is the model-name prefix of meta/v1 types (ObjectMeta, Status...). */
export const META_PREFIX = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** SCALE_MODEL is the model name of autoscaling/v1 Scale. */
export const SCALE_MODEL = 'io.k8s.api.autoscaling.v1.Scale';

/** schemaRef is a `$ref` object pointing at a component schema. */
export function schemaRef(model: string): { $ref: string } {
  return { $ref: `#/components/schemas/${model}` };
}

/**
 * modelName is kube's component name of a kind: reversed group + version + kind for CRDs
 * (`corral.dev`/v1alpha1/Agent → `dev.corral.v1alpha1.Agent`); built-in groups keep their Go
 * package names (`io.k8s.api.core.v1.Namespace`).
 */
export function modelName(group: string, version: string, kind: string): string {
  if (group === '') return `io.k8s.api.core.${version}.${kind}`;
  if (group === 'apiextensions.k8s.io') {
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${kind}`;
  }
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** words splits a group into the words of its ids: `.k8s.io` dropped, `''` is `core`. */
function words(group: string): string[] {
  if (group === '') return ['core'];
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .filter(w => w !== '');
}

const title = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** operationTag is kube's tag for a group/version: `corralDev_v1alpha1`, `core_v1`. */
export function operationTag(group: string, version: string): string {
  const [first = '', ...rest] = words(group);
  return `${first}${rest.map(title).join('')}_${version}`;
}

/**
 * operationId inserts the group/version into a verb-first id as kube does:
 * (`patch`, `corral.dev`, `v1alpha1`, `NamespacedAgentStatus`) → `patchCorralDevV1alpha1NamespacedAgentStatus`.
 */
export function operationId(parts: {
  verb: string;
  group: string;
  version: string;
  rest: string;
}): string {
  return `${parts.verb}${words(parts.group).map(title).join('')}${title(parts.version)}${parts.rest}`;
}

/** gvPathPrefix is the URL prefix of a group/version: `/api/v1` or `/apis/<g>/<v>`. */
export function gvPathPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}
