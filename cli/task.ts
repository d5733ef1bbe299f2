// `corral task exec|attach|logs`: reach a Task's container through its agent (mesos-features
// §9.4: `mesos task exec|attach`). The way there is kubeconfig → Task → its Agent → the agent
// API endpoint the Agent record publishes; the agent takes the kubeconfig's bearer token.
import type { Readable, Writable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { Client } from '../core/client/index.ts';
import { AgentApiClient } from '../agent/agent-api/client.ts';
import type { ExitInfo } from '../agent/agent-api/frames.ts';
import { agentApiUrl, taskOf } from '../agent/agent-api/locate.ts';
import type { LogStream } from '../agent/runtime/types.ts';

/** TaskRef names a Task: `namespace/name`, or a name in `namespace` (else the context's). */
export interface TaskTarget {
  readonly kubeConfig: KubeConfig;
  readonly task: string;
  readonly namespace?: string;
}

/** TaskStreams are the local ends of a session. */
export interface TaskStreams {
  readonly stdin?: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly signal?: AbortSignal;
}

/** parseTaskRef splits `ns/name`; a bare name takes `namespace`, the context's, or `default`. */
export function parseTaskRef(
  kc: KubeConfig,
  ref: string,
  namespace?: string,
): { namespace: string; name: string } {
  const i = ref.indexOf('/');
  if (i >= 0) return { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
  const ctx = kc.getContextObject(kc.getCurrentContext());
  return { namespace: namespace ?? ctx?.namespace ?? 'default', name: ref };
}

/** bearerToken is the kubeconfig user's token, which the agent API also takes. */
export function bearerToken(kc: KubeConfig): string {
  const token = kc.getCurrentUser()?.token;
  if (token === undefined || token === '') {
    throw new Error('the kubeconfig user has no bearer token, which the agent API needs');
  }
  return token;
}

async function taskAgent(t: TaskTarget): Promise<{ api: AgentApiClient; path: string }> {
  const { namespace, name } = parseTaskRef(t.kubeConfig, t.task, t.namespace);
  const client = Client.fromKubeConfig(t.kubeConfig);
  try {
    const task = await taskOf(client, namespace, name);
    const url = await agentApiUrl(client, task.spec.agent);
    const api = new AgentApiClient({ url, token: bearerToken(t.kubeConfig) });
    return { api, path: `/v1/tasks/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}` };
  } finally {
    await client.close();
  }
}

/** taskExec runs `command` in the Task's container; resolves with its exit code. */
export async function taskExec(
  t: TaskTarget & TaskStreams & { readonly command: readonly string[]; readonly tty?: boolean },
): Promise<ExitInfo> {
  const { api, path } = await taskAgent(t);
  return api.session(`${path}/exec`, { command: t.command, tty: t.tty === true }, t);
}

/** taskAttach streams the Task's output until it ends (or `signal` detaches). */
export async function taskAttach(t: TaskTarget & TaskStreams): Promise<ExitInfo> {
  const { api, path } = await taskAgent(t);
  return api.session(`${path}/attach`, {}, t);
}

/** taskLogs reads the Task's log. */
export async function taskLogs(
  t: TaskTarget & { readonly stream?: LogStream; readonly tail?: number },
): Promise<string> {
  const { api, path } = await taskAgent(t);
  const q = new URLSearchParams({ stream: t.stream ?? 'all' });
  if (t.tail !== undefined) q.set('tail', String(t.tail));
  return api.text(`${path}/logs?${q.toString()}`);
}

/** TaskCommandFlags are the flags every `corral task` subcommand takes. */
export interface TaskCommandFlags {
  kubeconfig?: string;
  namespace?: string;
  stdin?: boolean;
  tty?: boolean;
  stream?: LogStream;
  tail?: number;
}

/** kubeConfigOf loads the kubeconfig from a flag or the default places. */
export function kubeConfigOf(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(path);
  return kc;
}

function exitWith(end: ExitInfo): never {
  process.exit(end.exitCode ?? 1);
}

function fail(e: unknown): never {
  process.stderr.write(`corral task: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

/** runTaskExec is `corral task exec <task> -- cmd...`: exits with the command's code. */
export async function runTaskExec(
  task: string,
  command: string[],
  f: TaskCommandFlags,
): Promise<void> {
  const kubeConfig = kubeConfigOf(f.kubeconfig);
  const base = {
    kubeConfig,
    task,
    command,
    tty: f.tty === true,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  const end = await taskExec({
    ...base,
    ...(f.namespace === undefined ? {} : { namespace: f.namespace }),
    ...(f.stdin === true ? { stdin: process.stdin } : {}),
  }).catch(fail);
  exitWith(end);
}

/** runTaskAttach is `corral task attach <task>`: Ctrl-C detaches. */
export async function runTaskAttach(task: string, f: TaskCommandFlags): Promise<void> {
  const detach = new AbortController();
  process.once('SIGINT', () => detach.abort());
  const end = await taskAttach({
    kubeConfig: kubeConfigOf(f.kubeconfig),
    task,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: detach.signal,
    ...(f.namespace === undefined ? {} : { namespace: f.namespace }),
  }).catch(fail);
  exitWith(detach.signal.aborted ? { exitCode: 0 } : end);
}

/** runTaskLogs is `corral task logs <task>`. */
export async function runTaskLogs(task: string, f: TaskCommandFlags): Promise<void> {
  const text = await taskLogs({
    kubeConfig: kubeConfigOf(f.kubeconfig),
    task,
    ...(f.namespace === undefined ? {} : { namespace: f.namespace }),
    ...(f.stream === undefined ? {} : { stream: f.stream }),
    ...(f.tail === undefined ? {} : { tail: f.tail }),
  }).catch(fail);
  process.stdout.write(text);
}

/** taskCommand is the `corral task` subcommand group. */
export function taskCommand(): Command {
  const common = (c: Command): Command =>
    c
      .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
      .option('-n, --namespace <ns>', "the Task's namespace (or write <namespace>/<task>)");
  const task = new Command('task').description("reach a Task's container through its agent");
  task.addCommand(
    common(new Command('exec'))
      .description('run a command in the Task container: corral task exec <task> -- cmd...')
      .argument('<task>', '<namespace>/<task> or <task>')
      .argument('<command...>', 'the command and its arguments')
      .option('-i, --stdin', 'pass stdin to the command')
      .option('-t, --tty', 'run the command on a terminal')
      .action((t: string, cmd: string[], f: TaskCommandFlags) => runTaskExec(t, cmd, f)),
  );
  task.addCommand(
    common(new Command('attach'))
      .description("stream the Task's output (Ctrl-C detaches)")
      .argument('<task>', '<namespace>/<task> or <task>')
      .action((t: string, f: TaskCommandFlags) => runTaskAttach(t, f)),
  );
  task.addCommand(
    common(new Command('logs'))
      .description("print the Task's log")
      .argument('<task>', '<namespace>/<task> or <task>')
      .option('--stream <s>', 'all, stdout or stderr', 'all')
      .option('--tail <n>', 'only the last n lines', Number)
      .action((t: string, f: TaskCommandFlags) => runTaskLogs(t, f)),
  );
  return task;
}
