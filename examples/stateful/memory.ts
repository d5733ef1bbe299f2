// What a stateful run knows from the runs before it: the Framework's annotations (where the
// volume is, how many runs there were) and the Tasks the API still holds.
import type { Framework, Task } from '../../core/types/index.ts';
import { isTerminalTask } from '../../sdk/index.ts';

/** AGENT_ANNOTATION on the Framework names the agent that holds the volume. */
export const AGENT_ANNOTATION = 'stateful.examples.corral.dev/agent';

/** RUNS_ANNOTATION on the Framework counts the tasks launched so far. */
export const RUNS_ANNOTATION = 'stateful.examples.corral.dev/runs';

/** Memory is what a run starts from. */
export interface Memory {
  readonly agent?: string;
  /** runs is the number of the last task launched (tasks are named `<framework>-<run>`). */
  readonly runs: number;
  /** running is a task of an earlier run that has not ended. */
  readonly running?: Task;
  /** ended are records of earlier tasks that have ended, to be removed. */
  readonly ended?: readonly Task[];
}

// A task's run number, from its name `<framework>-<run>`.
function runOf(framework: string, task: Task): number {
  const name = task.metadata.name ?? '';
  const n = Number(name.slice(framework.length + 1));
  return name.startsWith(`${framework}-`) && Number.isInteger(n) ? n : 0;
}

/**
 * recall reads the memory. The run count is the larger of the annotation and the task names, so
 * a run that died between its launch and its note does not reuse a name.
 */
export function recall(framework: Framework, tasks: readonly Task[]): Memory {
  const name = framework.metadata.name ?? '';
  const notes = framework.metadata.annotations ?? {};
  const noted = Number(notes[RUNS_ANNOTATION] ?? '0');
  const runs = Math.max(Number.isInteger(noted) ? noted : 0, ...tasks.map(t => runOf(name, t)));
  const running = tasks.find(t => !isTerminalTask(t));
  const agent = notes[AGENT_ANNOTATION] ?? running?.spec.agent;
  return {
    runs,
    ended: tasks.filter(isTerminalTask),
    ...(agent === undefined ? {} : { agent }),
    ...(running === undefined ? {} : { running }),
  };
}
