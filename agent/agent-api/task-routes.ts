// The agent API's Task routes: logs, exec and attach of a Task running on this agent, addressed
// by the Task's namespace and name as the CLI knows them.
import type { TaskContainer } from '../sync/task-sync.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isFinal } from '../status/transitions.ts';
import type { ExitInfo } from './frames.ts';
import type { Route } from './server.ts';
import { ApiError } from './server.ts';
import { serveAttach, serveExec, serveLogs } from './sessions.ts';

/** TaskRouteDeps find Tasks and their containers. */
export interface TaskRouteDeps {
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly workDir: string;
  readonly taskContainer: (namespace: string, name: string) => TaskContainer | undefined;
}

const TASK = '/v1/tasks/([^/]+)/([^/]+)';

/** taskRoutes are the routes of Tasks. */
export function taskRoutes(d: TaskRouteDeps): Route[] {
  const find = (params: readonly string[]): TaskContainer => {
    const [namespace = '', name = ''] = params;
    const tc = d.taskContainer(namespace, name);
    if (tc === undefined) throw new ApiError(404, `task ${namespace}/${name} is not on this agent`);
    return tc;
  };
  // The Task's container is cleaned up right after its end is reported, so an attach that
  // outlived it reads the exit code from the Task's status instead.
  const exitFromStatus = async (params: readonly string[]): Promise<ExitInfo> => {
    for (let i = 0; i < 50; i++) {
      const status = find(params).task.status;
      const code = status?.containerStatus?.exitCode;
      if (code !== undefined && isFinal(status)) return { exitCode: code };
      await d.clock.sleep(100);
    }
    return { exitCode: null };
  };
  return [
    {
      method: 'GET',
      path: new RegExp(`^${TASK}/logs$`),
      handler: (_req, res, params, url) =>
        serveLogs({ workDir: d.workDir, containerId: find(params).containerId }, res, url),
    },
    {
      method: 'POST',
      path: new RegExp(`^${TASK}/exec$`),
      handler: (req, res, params) =>
        serveExec({ runtime: d.runtime, containerId: find(params).containerId }, req, res),
    },
    {
      method: 'POST',
      path: new RegExp(`^${TASK}/attach$`),
      // Task containers take no input (Mesos attaches input only to containers with a TTY)
      handler: (req, res, params) =>
        serveAttach(
          {
            runtime: d.runtime,
            containerId: find(params).containerId,
            acceptsStdin: false,
            exitFallback: () => exitFromStatus(params),
          },
          req,
          res,
        ),
    },
  ];
}
