// examples/batch: run N tasks with the same command and resources. Each batch of offers gets as
// many pending tasks as it holds; offers it does not need are declined with a refuse filter; once
// every task is launched the framework suppresses; when every task has ended it reports a summary.
// Answers are written concurrently (answer-lane.ts), so thousands of offers cost round trips in
// parallel, not one after another.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Offer, ResourceMap, TaskState, TaskTemplate } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { FrameworkDriver, Scheduler } from '../../sdk/index.ts';
import { connect, isOfferRescinded, isTerminalTask, launch } from '../../sdk/index.ts';
import { deferred, untilAborted } from '../common/process.ts';
import { AnswerLane } from './answer-lane.ts';
import { planOffers } from './plan.ts';

const KILL_WAIT_MS = 30_000;
// answers in flight at once: enough to hide round trips, few enough not to flood the API server
const ANSWERS_IN_FLIGHT = 32;

/** BatchOptions describe the batch and where the framework lives. */
export interface BatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly framework: string;
  readonly role: string;
  readonly principal?: string;
  /** tasks is how many tasks to run. */
  readonly tasks: number;
  readonly command: string;
  readonly image?: string;
  /** resources each task requests. */
  readonly resources: ResourceMap;
  /** refuseSeconds keeps offers the batch does not need away this long. */
  readonly refuseSeconds: number;
  /** keep leaves the Framework and the Task records in place at the end. */
  readonly keep: boolean;
  readonly out: (line: string) => void;
  readonly clock: Clock;
  /** signal kills the tasks still running and ends the batch. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** BatchSummary is how the batch went. */
export interface BatchSummary {
  readonly total: number;
  readonly finished: number;
  /** failed counts every end but TASK_FINISHED. */
  readonly failed: number;
  readonly byState: Partial<Record<TaskState, number>>;
  readonly elapsedMs: number;
  readonly offersAccepted: number;
  readonly offersDeclined: number;
}

/** batchTemplates names the batch's tasks `<framework>-<run>-<i>` (unique per run). */
export function batchTemplates(o: BatchOptions, run: string): TaskTemplate[] {
  return Array.from({ length: o.tasks }, (_, i) => ({
    name: `${o.framework}-${run}-${i}`,
    labels: { 'corral.dev/batch': run },
    spec: {
      resources: o.resources,
      command: { value: o.command },
      env: [{ name: 'BATCH_INDEX', value: String(i) }],
      ...(o.image === undefined ? {} : { image: o.image }),
    },
  }));
}

/** runBatch runs the batch to its end (or until interrupted) and returns the summary. */
export async function runBatch(o: BatchOptions): Promise<BatchSummary> {
  const started = o.clock.now();
  const run = started.toString(36);
  let pending = batchTemplates(o, run);
  const names = new Set(pending.map(t => t.name));
  const launched = new Set<string>();
  const ended = new Map<string, TaskState>();
  const all = deferred<undefined>();
  const counts = { accepted: 0, declined: 0 };
  const st = { suppressed: false, killing: false };
  // The batch is over when every task has ended; once interrupted, every task launched.
  const settleIfDone = (): void => {
    if (ended.size >= (st.killing ? launched.size : o.tasks)) all.resolve(undefined);
  };

  // Answers go out together (answer-lane.ts); the handler returns once they are queued. Offers
  // are suppressed once every task is launched and no accept is still in flight: a refused one
  // (the offer was rescinded) puts its tasks back in front of the queue for the next offers.
  const lane = new AnswerLane(ANSWERS_IN_FLIGHT);
  const report = (e: unknown): void =>
    o.out(`error: ${e instanceof Error ? e.message : String(e)}`);
  const afterAnswer = async (d: FrameworkDriver): Promise<void> => {
    if (pending.length > 0 || lane.unfinished > 0 || st.suppressed) return;
    st.suppressed = true;
    try {
      await d.suppress();
      if (!st.killing) o.out('Every task is launched: suppressing offers');
    } catch (e) {
      st.suppressed = false;
      report(e);
    }
  };
  const accept = async (offer: Offer, tasks: TaskTemplate[], d: FrameworkDriver) => {
    try {
      await d.accept(offer, [launch(tasks)], { refuseSeconds: o.refuseSeconds });
      for (const t of tasks) launched.add(t.name);
      counts.accepted++;
      o.out(
        `Launching ${tasks.length} task(s) on agent ${offer.spec.agent}: ${tasks.map(t => t.name).join(', ')}`,
      );
    } catch (e) {
      if (isOfferRescinded(e)) pending = [...tasks, ...pending];
      else report(e);
    }
  };
  const decline = async (offer: Offer, d: FrameworkDriver) => {
    try {
      await d.decline(offer, { refuseSeconds: o.refuseSeconds });
      counts.declined++;
    } catch (e) {
      if (!isOfferRescinded(e)) report(e);
    }
  };
  const onOffers = (offers: readonly Offer[], d: FrameworkDriver): void => {
    const plan = planOffers(offers, pending);
    pending = plan.pending;
    const settled = () => afterAnswer(d);
    for (const { offer, tasks } of plan.launches) lane.run(() => accept(offer, tasks, d), settled);
    for (const offer of plan.declines) lane.run(() => decline(offer, d), settled);
  };

  const scheduler: Scheduler = {
    onRegistered: () => o.out(`Framework '${o.framework}' registered; running ${o.tasks} task(s)`),
    onOffers,
    async onTaskStatus(task, d) {
      const name = task.metadata.name ?? '';
      const state = task.status?.state;
      if (!names.has(name) || state === undefined || ended.has(name)) return;
      if (!isTerminalTask(task)) {
        // Interrupted before the offer controller made this Task: kill it now that it exists.
        if (st.killing && task.metadata.deletionTimestamp === undefined) await d.kill(task);
        return;
      }
      ended.set(name, state);
      o.out(
        `[${ended.size}/${o.tasks}] ${name} ${state}${task.status?.message === undefined ? '' : `: ${task.status.message}`}`,
      );
      settleIfDone();
    },
    onError: report,
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
    settleIfDone();
    const interrupted = untilAborted(o.signal).then(() => 'interrupted' as const);
    if ((await Promise.race([all.promise, interrupted])) === 'interrupted') {
      o.out('Interrupted: killing the tasks still running');
      pending = [];
      st.killing = true;
      settleIfDone();
      for (const t of driver.tasks())
        if (names.has(t.metadata.name ?? '') && !isTerminalTask(t)) await driver.kill(t);
      // The kills are reported as TASK_KILLED; give them a while, not forever.
      const patience = new AbortController();
      await Promise.race([
        all.promise,
        o.clock.sleep(KILL_WAIT_MS, patience.signal).catch(() => undefined),
      ]);
      patience.abort();
    }
  } finally {
    if (o.keep) await driver.stop();
    else await driver.teardown();
  }
  return summarize(o, ended, counts, o.clock.now() - started);
}

function summarize(
  o: BatchOptions,
  ended: ReadonlyMap<string, TaskState>,
  counts: { accepted: number; declined: number },
  elapsedMs: number,
): BatchSummary {
  const byState: Partial<Record<TaskState, number>> = {};
  for (const s of ended.values()) byState[s] = (byState[s] ?? 0) + 1;
  const finished = byState.TASK_FINISHED ?? 0;
  return {
    total: o.tasks,
    finished,
    failed: o.tasks - finished,
    byState,
    elapsedMs,
    offersAccepted: counts.accepted,
    offersDeclined: counts.declined,
  };
}

/** formatSummary prints the summary in a few lines. */
export function formatSummary(s: BatchSummary): string {
  const states = Object.entries(s.byState)
    .map(([state, n]) => `${state}: ${n}`)
    .join(', ');
  return [
    `Batch done in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.finished}/${s.total} finished, ${s.failed} failed`,
    `  states: ${states === '' ? 'none' : states}`,
    `  offers: ${s.offersAccepted} accepted, ${s.offersDeclined} declined`,
  ].join('\n');
}
