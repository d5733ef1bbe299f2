// How mesos-execute prints a status update, for a Task record.
import type { Task } from '../../core/types/index.ts';

/** describeStatus prints a task's status as mesos-execute does: state, then its details. */
export function describeStatus(task: Task): string {
  const s = task.status ?? {};
  const lines = [
    `Received status update ${s.state ?? 'TASK_UNKNOWN'} for task '${task.metadata.name ?? ''}'`,
  ];
  if (s.message !== undefined) lines.push(`  message: '${s.message}'`);
  if (s.source !== undefined) lines.push(`  source: ${s.source}`);
  if (s.reason !== undefined) lines.push(`  reason: ${s.reason}`);
  if (s.healthy !== undefined) lines.push(`  healthy?: ${String(s.healthy)}`);
  const exit = s.containerStatus?.exitCode;
  if (exit !== undefined) lines.push(`  exit code: ${exit}`);
  return lines.join('\n');
}
