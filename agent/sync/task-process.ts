// The process a Task without an image runs (Mesos CommandInfo on the host's binaries), and the
// environment every Task process gets. Image tasks go through agent/images `imageProcess`, which
// applies the image's Entrypoint/Cmd rules to the same Command.
import type { Command, EnvVar } from '../../core/types/task-template.ts';
import type { Task } from '../../core/types/task.ts';

/** commandArgv is Mesos CommandInfo as an argv: `sh -c value`, or value with arguments[1..]. */
export function commandArgv(c: Command): string[] {
  if (c.shell !== false) return ['/bin/sh', '-c', c.value ?? ''];
  return [c.value ?? '', ...(c.arguments ?? []).slice(1)];
}

/**
 * taskEnv is the Mesos variables a task can rely on (MESOS_TASK_ID, MESOS_FRAMEWORK_ID,
 * MESOS_AGENT_ID; the runtime adds MESOS_SANDBOX) followed by the Task's own, which win by name.
 */
export function taskEnv(task: Task, agentName: string): EnvVar[] {
  return [
    { name: 'MESOS_TASK_ID', value: task.metadata.name ?? '' },
    { name: 'MESOS_FRAMEWORK_ID', value: task.spec.framework },
    { name: 'MESOS_AGENT_ID', value: agentName },
    ...(task.spec.env ?? []),
  ];
}
