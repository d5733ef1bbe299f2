// corral run / examples/execute: Mesos's mesos-execute on the SDK. Register, take the first offer
// that holds the task, launch it, stream its status updates until it is terminal, tear down.
// Ctrl-C kills the task. A task of the same name left by an earlier run is followed if it still
// runs (a re-registration), or removed first if it has ended (names are unique in a namespace).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ResourceMap, Task, TaskTemplate } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { FrameworkDriver, Scheduler } from '../../sdk/index.ts';
import {
  connect,
  fits,
  isOfferRescinded,
  isTerminalTask,
  launch,
  offerResources,
  toResources,
} from '../../sdk/index.ts';
import { deferred, untilAborted } from '../common/process.ts';
import { describeStatus } from './status.ts';

/** ExecuteOptions are mesos-execute's flags, plus where the framework lives. */
export interface ExecuteOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** framework is the Framework's name (default corral-execute). */
  readonly framework: string;
  readonly role: string;
  readonly principal?: string;
  /** name is the task's name. */
  readonly name: string;
  readonly command?: string;
  readonly image?: string;
  readonly resources: ResourceMap;
  /** keep leaves the Framework and the Task record in place at the end. */
  readonly keep: boolean;
  readonly out: (line: string) => void;
  readonly clock: Clock;
  /** signal (Ctrl-C) kills the task, or gives up waiting for an offer. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

// What is left of the offer after the launch stays away this long: one task is all it needs.
const DONE_REFUSE_SECONDS = 3600;
// An offer too small, or one that comes while an old task's record is being removed.
const RETRY_REFUSE_SECONDS = 1;

type Phase = 'clearing' | 'waiting' | 'launched';

/** taskTemplate is the LAUNCH template of the task the flags describe. */
export function taskTemplate(
  o: Pick<ExecuteOptions, 'name' | 'command' | 'image' | 'resources'>,
): TaskTemplate {
  if (o.command === undefined && o.image === undefined)
    throw new RangeError('give a --command or an --image to run');
  return {
    name: o.name,
    labels: { 'corral.dev/launched-by': 'corral-execute' },
    spec: {
      resources: o.resources,
      ...(o.image === undefined ? {} : { image: o.image }),
      ...(o.command === undefined ? {} : { command: { value: o.command } }),
    },
  };
}

/**
 * runExecute runs one task to its end and returns the exit code: 0 for TASK_FINISHED, 1 for any
 * other end, 130 when interrupted before the task was launched.
 */
export async function runExecute(o: ExecuteOptions): Promise<number> {
  const template = taskTemplate(o);
  const requests = toResources(template.spec.resources);
  const ended = deferred<Task | undefined>();
  // Mutated by the handlers; an object, so reads after an await are not narrowed away.
  const at: { phase: Phase; killing: boolean } = { phase: 'waiting', killing: false };
  let latest: Task | undefined;

  const answerOffers: NonNullable<Scheduler['onOffers']> = async (offers, d) => {
    for (const offer of offers) {
      const fitting = at.phase === 'waiting' && fits(offerResources(offer), requests);
      try {
        if (!fitting) {
          const refuseSeconds =
            at.phase === 'launched' ? DONE_REFUSE_SECONDS : RETRY_REFUSE_SECONDS;
          await d.decline(offer, { refuseSeconds });
          continue;
        }
        await d.accept(offer, [launch([template])], { refuseSeconds: DONE_REFUSE_SECONDS });
        at.phase = 'launched';
        o.out(`Submitted task '${o.name}' to agent '${offer.spec.agent}'`);
        await d.suppress();
      } catch (e) {
        if (!isOfferRescinded(e)) throw e;
        o.out(`Offer ${e.offer} was rescinded before the answer; waiting for another`);
      }
    }
  };

  const scheduler: Scheduler = {
    async onRegistered({ reregistered }, d) {
      const how = reregistered ? 're-registered' : 'registered';
      o.out(`Framework '${o.framework}' ${how} in namespace '${o.namespace}'`);
      at.phase = await adoptOrClear(d, o);
    },
    onOffers: answerOffers,
    async onTaskStatus(task, d) {
      if (task.metadata.name !== o.name || at.phase !== 'launched') return;
      latest = task;
      o.out(describeStatus(task));
      if (isTerminalTask(task)) ended.resolve(task);
      // Interrupted before the offer controller made the Task: kill it now that it exists.
      else if (at.killing && task.metadata.deletionTimestamp === undefined) await d.kill(task);
    },
    onTaskRemoved(task) {
      if (task.metadata.name !== o.name) return;
      if (at.phase === 'clearing') at.phase = 'waiting';
      else if (at.phase === 'launched') ended.resolve(latest ?? task);
    },
    onError: e => o.out(`error: ${e instanceof Error ? e.message : String(e)}`),
  };

  const driver = await connect({
    kubeConfig: o.kubeConfig,
    namespace: o.namespace,
    name: o.framework,
    framework: {
      roles: [o.role],
      ...(o.principal === undefined ? {} : { principal: o.principal }),
    },
    scheduler,
    clock: o.clock,
    ...(o.logger === undefined ? {} : { logger: o.logger }),
  });
  try {
    const interrupted = untilAborted(o.signal).then(() => 'interrupted' as const);
    let outcome = await Promise.race([ended.promise, interrupted]);
    if (outcome === 'interrupted') {
      if (at.phase !== 'launched') {
        o.out('Interrupted before the task was launched');
        return 130;
      }
      o.out(`Killing task '${o.name}'`);
      at.killing = true;
      await driver.kill(o.name);
      outcome = await ended.promise;
    }
    return outcome?.status?.state === 'TASK_FINISHED' ? 0 : 1;
  } finally {
    if (o.keep) await driver.stop();
    else await driver.teardown();
  }
}

// adoptOrClear looks for a task of this name from an earlier run: still running, it is followed;
// ended, its record is removed so the name can be used again.
async function adoptOrClear(d: FrameworkDriver, o: ExecuteOptions): Promise<Phase> {
  const { tasks } = await d.reconcile();
  const old = tasks.find(t => t.metadata.name === o.name);
  if (old === undefined) return 'waiting';
  if (!isTerminalTask(old)) {
    o.out(`Task '${o.name}' of an earlier run is ${old.status?.state ?? 'pending'}; following it`);
    await d.suppress();
    return 'launched';
  }
  o.out(`Removing task '${o.name}' of an earlier run (${old.status?.state ?? ''})`);
  await d.kill(old);
  return 'clearing';
}
