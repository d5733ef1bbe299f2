// `corral container run|list|get|logs|wait|delete`: an operator's standalone containers on one
// agent (mesos-features §9.3), outside the offer cycle. The agent is named with --agent, or is
// the cluster's only one; its endpoint comes from its Agent record.
import type { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { Client } from '../core/client/index.ts';
import { AgentApiClient } from '../agent/agent-api/client.ts';
import { agentApiUrl, onlyAgent } from '../agent/agent-api/locate.ts';
import type { StandaloneInfo } from '../agent/standalone/containers.ts';
import type { StandaloneRequest } from '../agent/standalone/request.ts';
import type { ContainerState, LogStream } from '../agent/runtime/types.ts';
import { bearerToken, kubeConfigOf } from './task.ts';

/** AgentTarget picks the agent: by name, or the only one registered. */
export interface AgentTarget {
  readonly kubeConfig: KubeConfig;
  readonly agent?: string;
}

/** agentApi builds a client of the target agent's API. */
export async function agentApi(t: AgentTarget): Promise<AgentApiClient> {
  const client = Client.fromKubeConfig(t.kubeConfig);
  try {
    const name = t.agent ?? (await onlyAgent(client));
    const url = await agentApiUrl(client, name);
    return new AgentApiClient({ url, token: bearerToken(t.kubeConfig) });
  } finally {
    await client.close();
  }
}

const one = (id: string): string => `/v1/containers/${encodeURIComponent(id)}`;

/** containerRun launches a standalone container; `launched` is false when the id was taken. */
export async function containerRun(
  t: AgentTarget & { readonly request: StandaloneRequest },
): Promise<{ id: string; launched: boolean }> {
  const api = await agentApi(t);
  return (await api.call('POST', '/v1/containers', t.request)).body as {
    id: string;
    launched: boolean;
  };
}

/** containerList lists the agent's standalone containers. */
export async function containerList(t: AgentTarget): Promise<StandaloneInfo[]> {
  const api = await agentApi(t);
  return ((await api.call('GET', '/v1/containers')).body as { items: StandaloneInfo[] }).items;
}

/** containerGet reports one standalone container. */
export async function containerGet(
  t: AgentTarget & { readonly id: string },
): Promise<StandaloneInfo> {
  return (await (await agentApi(t)).call('GET', one(t.id))).body as StandaloneInfo;
}

/** containerWait blocks until the container ends and returns its final state. */
export async function containerWait(
  t: AgentTarget & { readonly id: string },
): Promise<ContainerState> {
  const api = await agentApi(t);
  return ((await api.call('GET', `${one(t.id)}/wait`)).body as { state: ContainerState }).state;
}

/** containerLogs reads a standalone container's log. */
export async function containerLogs(
  t: AgentTarget & { readonly id: string; readonly stream?: LogStream; readonly tail?: number },
): Promise<string> {
  const q = new URLSearchParams({ stream: t.stream ?? 'all' });
  if (t.tail !== undefined) q.set('tail', String(t.tail));
  return (await agentApi(t)).text(`${one(t.id)}/logs?${q.toString()}`);
}

/** containerDelete kills and removes a standalone container. */
export async function containerDelete(t: AgentTarget & { readonly id: string }): Promise<void> {
  await (await agentApi(t)).call('DELETE', one(t.id));
}

/** ContainerFlags are the flags of `corral container` subcommands. */
export interface ContainerFlags {
  kubeconfig?: string;
  agent?: string;
  id?: string;
  image?: string;
  cpus?: string;
  mem?: string;
  network?: 'host' | 'own';
  stdin?: boolean;
  shell?: boolean;
  stream?: LogStream;
  tail?: number;
}

function target(f: ContainerFlags): AgentTarget {
  return {
    kubeConfig: kubeConfigOf(f.kubeconfig),
    ...(f.agent === undefined ? {} : { agent: f.agent }),
  };
}

async function cli(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    process.stderr.write(`corral container: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

/** runContainerCommand dispatches `corral container <verb>`. */
export function runContainerCommand(
  verb: string,
  args: string[],
  f: ContainerFlags,
): Promise<void> {
  return cli(async () => {
    const t = target(f);
    const id = args[0] ?? '';
    const print = (x: unknown): void =>
      void process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
    switch (verb) {
      case 'run': {
        const [value = '', ...rest] = args;
        const command =
          f.shell === true
            ? { value: args.join(' ') }
            : { shell: false, value, arguments: [value, ...rest] };
        const request: StandaloneRequest = {
          ...(f.id === undefined ? {} : { id: f.id }),
          ...(f.image === undefined ? {} : { image: f.image }),
          ...(args.length === 0 ? {} : { command }),
          resources: { cpus: f.cpus ?? '0.1', mem: f.mem ?? '64' },
          network: f.network ?? 'host',
          stdin: f.stdin === true,
        };
        const r = await containerRun({ ...t, request });
        process.stdout.write(
          `${r.id}${r.launched ? '' : ' (already running; not launched again)'}\n`,
        );
        return;
      }
      case 'list':
        return print(await containerList(t));
      case 'get':
        return print(await containerGet({ ...t, id }));
      case 'wait':
        return print(await containerWait({ ...t, id }));
      case 'logs': {
        const opts = {
          ...(f.stream === undefined ? {} : { stream: f.stream }),
          ...(f.tail === undefined ? {} : { tail: f.tail }),
        };
        process.stdout.write(await containerLogs({ ...t, id, ...opts }));
        return;
      }
      case 'delete':
        await containerDelete({ ...t, id });
        process.stdout.write(`${id} deleted\n`);
        return;
      default:
        throw new Error(`unknown verb ${verb}`);
    }
  });
}

/** containerCommand is the `corral container` subcommand group. */
export function containerCommand(): Command {
  const common = (c: Command): Command =>
    c
      .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
      .option('--agent <name>', 'the agent (default: the only one registered)');
  const group = new Command('container').description(
    "an operator's standalone containers on one agent, outside the offer cycle",
  );
  group.addCommand(
    common(new Command('run'))
      .description('launch one: corral container run [--image img] -- cmd args...')
      .argument('[command...]', 'the command (its first word is the executable)')
      .option('--id <id>', 'container id (default: generated)')
      .option('--image <ref>', 'image to run')
      .option('--cpus <n>', 'cpus request', '0.1')
      .option('--mem <mb>', 'mem request in MB', '64')
      .option('--network <mode>', 'host or own', 'host')
      .option('--stdin', 'give it a stdin for attach')
      .option('--shell', 'run the words through /bin/sh -c')
      .action((args: string[], f: ContainerFlags) => runContainerCommand('run', args, f)),
  );
  group.addCommand(
    common(new Command('list'))
      .description('list them')
      .action((f: ContainerFlags) => runContainerCommand('list', [], f)),
  );
  for (const verb of ['get', 'wait', 'delete'] as const) {
    group.addCommand(
      common(new Command(verb))
        .argument('<id>')
        .description(`${verb} one`)
        .action((id: string, f: ContainerFlags) => runContainerCommand(verb, [id], f)),
    );
  }
  group.addCommand(
    common(new Command('logs'))
      .argument('<id>')
      .description('print its log')
      .option('--stream <s>', 'all, stdout or stderr', 'all')
      .option('--tail <n>', 'only the last n lines', Number)
      .action((id: string, f: ContainerFlags) => runContainerCommand('logs', [id], f)),
  );
  return group;
}
