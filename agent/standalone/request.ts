// The request body of a standalone container launch (Mesos LAUNCH_CONTAINER, mesos-features
// §9.3): an id (or one is made), a command and/or an image, resources (defaults keep it small),
// optional limits, network mode and a stdin pipe for attach. Checked here, before anything runs.
import { randomBytes } from 'node:crypto';
import { parseResourceMap } from '../../core/resources/index.ts';
import type { ResourceMap } from '../../core/types/resources.ts';
import type { Command, EnvVar, NetworkMode, TaskLimits } from '../../core/types/task-template.ts';
import { TASK_CONTAINER_PREFIX } from '../sync/names.ts';

/** StandaloneRequest launches one container without a framework. */
export interface StandaloneRequest {
  readonly id?: string;
  readonly image?: string;
  readonly command?: Command;
  readonly env?: readonly EnvVar[];
  readonly resources?: ResourceMap;
  readonly limits?: TaskLimits;
  readonly network?: NetworkMode;
  readonly stdin?: boolean;
}

/** StandaloneRequestError is a request the agent refuses (HTTP 400). */
export class StandaloneRequestError extends Error {
  override readonly name = 'StandaloneRequestError';
}

/** DEFAULT_STANDALONE_RESOURCES keep an operator's container small unless told otherwise. */
export const DEFAULT_STANDALONE_RESOURCES: ResourceMap = { cpus: '0.1', mem: 64 };

const ID = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;

function obj(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new StandaloneRequestError(`${what} must be an object`);
  }
  return x as Record<string, unknown>;
}

/** parseStandaloneRequest checks a decoded JSON body and fills the id. */
export function parseStandaloneRequest(body: unknown): StandaloneRequest & { readonly id: string } {
  const b = obj(body, 'the request');
  const id = b['id'] === undefined ? `sc-${randomBytes(6).toString('hex')}` : b['id'];
  if (typeof id !== 'string' || !ID.test(id) || id.startsWith(TASK_CONTAINER_PREFIX)) {
    throw new StandaloneRequestError(
      `id must match ${String(ID)} and not start with "${TASK_CONTAINER_PREFIX}"`,
    );
  }
  const image = b['image'];
  if (image !== undefined && (typeof image !== 'string' || image === '')) {
    throw new StandaloneRequestError('image must be a non-empty string');
  }
  const command =
    b['command'] === undefined ? undefined : (obj(b['command'], 'command') as Command);
  if (image === undefined && (command?.value === undefined || command.value === '')) {
    throw new StandaloneRequestError('a container needs an image or a command value');
  }
  const resources = (b['resources'] ?? DEFAULT_STANDALONE_RESOURCES) as ResourceMap;
  try {
    parseResourceMap(resources);
  } catch (e) {
    throw new StandaloneRequestError(`resources: ${(e as Error).message}`);
  }
  const network = b['network'] ?? 'host';
  if (network !== 'host' && network !== 'own') {
    throw new StandaloneRequestError('network must be host or own');
  }
  return {
    id,
    ...(image === undefined ? {} : { image }),
    ...(command === undefined ? {} : { command }),
    ...(b['env'] === undefined ? {} : { env: b['env'] as EnvVar[] }),
    resources,
    ...(b['limits'] === undefined ? {} : { limits: obj(b['limits'], 'limits') }),
    network,
    stdin: b['stdin'] === true,
  };
}
