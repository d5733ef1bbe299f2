// The three kinds of health check as Probes: COMMAND runs inside the task's container (runc exec)
// and is healthy on exit 0; HTTP and TCP connect to 127.0.0.1:<port> as the task sees it: from
// the agent for a host-network task, from inside its namespace (nsenter + probe-main.ts) for a
// task with a network of its own.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { HealthCheck, NetworkMode } from '../../core/types/task-template.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { commandArgv } from '../sync/task-process.ts';
import type { Probe } from './checker.ts';
import { httpProbe, tcpProbe } from './net-probes.ts';
import type { NetCheck } from './probe-main.ts';

/** ProbeContext is the running container a check looks at. */
export interface ProbeContext {
  readonly runtime: Pick<ContainerRuntime, 'exec'>;
  readonly containerId: string;
  /** pid is the container's init process as the host sees it. */
  readonly pid: number;
  readonly network: NetworkMode;
  /** timeoutMs bounds a check run in a child process. */
  readonly timeoutMs: number;
}

// exitsZero waits for a child; abort sends TERM (runc forwards it to the exec'd process).
function exitsZero(child: ChildProcess, signal: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    const onAbort = (): void => {
      child.kill('SIGTERM');
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.resume();
    child.stderr?.resume();
    child.once('error', () => resolve(false));
    child.once('close', code => {
      signal.removeEventListener('abort', onAbort);
      resolve(code === 0);
    });
  });
}

function inNetns(ctx: ProbeContext, check: NetCheck, signal: AbortSignal): Promise<boolean> {
  const script = join(import.meta.dirname, 'probe-main.ts');
  const child = spawn(
    'nsenter',
    ['--target', String(ctx.pid), '--net', '--', process.execPath, script, JSON.stringify(check)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return exitsZero(child, signal);
}

/** probeFor builds the probe of a task's health check. */
export function probeFor(hc: HealthCheck, ctx: ProbeContext): Probe {
  switch (hc.type) {
    case 'COMMAND': {
      const argv = commandArgv(hc.command ?? {});
      return async signal => exitsZero(await ctx.runtime.exec(ctx.containerId, argv), signal);
    }
    case 'HTTP': {
      const http = hc.http ?? { port: 0 };
      const target = {
        scheme: http.scheme ?? 'http',
        host: '127.0.0.1',
        port: http.port,
        path: http.path ?? '/',
      } as const;
      if (ctx.network === 'host') return signal => httpProbe(target, signal);
      const check: NetCheck = { type: 'http', timeoutMs: ctx.timeoutMs, ...target };
      return signal => inNetns(ctx, check, signal);
    }
    case 'TCP': {
      const port = hc.tcp?.port ?? 0;
      if (ctx.network === 'host') return signal => tcpProbe('127.0.0.1', port, signal);
      const check: NetCheck = { type: 'tcp', timeoutMs: ctx.timeoutMs, host: '127.0.0.1', port };
      return signal => inNetns(ctx, check, signal);
    }
    default:
      return assertNever(hc.type, 'health check type');
  }
}
