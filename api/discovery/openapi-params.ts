// The query and path parameters of kube's operations, inline (kubectl's fieldValidation probe
// reads a PATCH operation's own parameter list).
import type { Parameter } from './openapi-types.ts';

type Kind = 'string' | 'integer' | 'boolean';

const q = (name: string, type: Kind, description: string): Parameter => ({
  name,
  in: 'query',
  description,
  schema: { type },
});

const DRY_RUN = q(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = q(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.',
);
const FORCE = q(
  'force',
  'boolean',
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
);

/** PRETTY is the path-level `pretty` parameter every kube path has. */
export const PRETTY = q('pretty', 'string', "If 'true', then the output is pretty printed.");

/** pathParam is the `{name}` or `{namespace}` path parameter. */
export function pathParam(name: 'name' | 'namespace', kind: string): Parameter {
  return {
    name,
    in: 'path',
    description:
      name === 'name'
        ? `name of the ${kind}`
        : 'object name and auth scope, such as for teams and projects',
    required: true,
    schema: { type: 'string' },
  };
}

/** LIST_PARAMS are ListOptions (list and deletecollection). */
export const LIST_PARAMS: readonly Parameter[] = [
  q(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  ),
  q(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server.',
  ),
  q(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  q(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  q(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  q(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
];

/** CREATE_PARAMS are CreateOptions; UpdateOptions are the same. */
export const CREATE_PARAMS: readonly Parameter[] = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];

/** PATCH_PARAMS are PatchOptions; `fieldValidation` here is what makes kubectl validate server-side. */
export const PATCH_PARAMS: readonly Parameter[] = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];

/** DELETE_PARAMS are DeleteOptions given as query parameters. */
export const DELETE_PARAMS: readonly Parameter[] = [
  DRY_RUN,
  q(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted.',
  ),
  q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  q(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background' and 'Foreground'.",
  ),
];
