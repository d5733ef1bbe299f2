// From cluster names to an agent API endpoint, through the cluster API (the CLI's path:
// kubeconfig → Task → Agent → its `status.apiEndpoint`), with errors that say which link is
// missing.
import type { Client } from '../../core/client/index.ts';
import { corralKinds, isNotFound } from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';

/** LocateError says why no endpoint could be found. */
export class LocateError extends Error {
  override readonly name = 'LocateError';
}

/** agentApiUrl is the API base URL the named agent published. */
export async function agentApiUrl(client: Client, agent: string): Promise<string> {
  try {
    const a = await client.for(corralKinds.agents).get({ name: agent });
    const url = a.status?.apiEndpoint;
    if (url === undefined || url === '') {
      throw new LocateError(`agent ${agent} publishes no API endpoint (status.apiEndpoint)`);
    }
    return url;
  } catch (e) {
    if (isNotFound(e)) throw new LocateError(`agent ${agent} is not registered`);
    throw e;
  }
}

/** taskOf reads a Task, with a clear error when there is none. */
export async function taskOf(client: Client, namespace: string, name: string): Promise<Task> {
  try {
    return await client.for(corralKinds.tasks).get({ namespace, name });
  } catch (e) {
    if (isNotFound(e)) throw new LocateError(`task ${namespace}/${name} not found`);
    throw e;
  }
}

/** onlyAgent is the name of the cluster's single agent, for commands that may omit --agent. */
export async function onlyAgent(client: Client): Promise<string> {
  const agents = (await client.for(corralKinds.agents).list()).items;
  const [first, ...rest] = agents;
  if (first === undefined) throw new LocateError('no agent is registered');
  if (rest.length > 0) {
    throw new LocateError(`${agents.length} agents are registered; choose one with --agent`);
  }
  return first.metadata.name ?? '';
}
