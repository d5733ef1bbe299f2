// examples/stateful: a task that keeps its data across runs. The first run reserves resources for
// the framework's role (RESERVE), makes a persistent volume (CREATE) and launches a task that
// appends to a file on it. The Framework record remembers the agent and the run count (its
// annotations are the framework's own notes, as a Mesos framework keeps state in ZooKeeper). A
// later run re-registers under the same name, reconciles (a task still running is followed, not
// relaunched), waits for an offer holding its volume and launches the next task on it, which
// finds the earlier runs' lines. `destroy` gives everything back: DESTROY, UNRESERVE, teardown.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Offer, ResourceMap, Task, TaskTemplate } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { FrameworkDriver, ReservationOptions, Scheduler } from '../../sdk/index.ts';
import { connect, isOfferRescinded, isTerminalTask } from '../../sdk/index.ts';
import { deferred, untilAborted } from '../common/process.ts';
import { describeStatus } from '../execute/status.ts';
import { planRelease } from './release.ts';
import { planVolume } from './plan.ts';
import { recall } from './memory.ts';
import type { Memory } from './memory.ts';
import { AGENT_ANNOTATION, RUNS_ANNOTATION } from './memory.ts';

/** StatefulOptions describe the service, its volume and where the framework lives. */
export interface StatefulOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  /** framework names the Framework; the same name on every run. */
  readonly framework: string;
  readonly role: string;
  readonly principal: string;
  readonly persistenceId: string;
  readonly containerPath: string;
  readonly diskMb: number;
  /** resources the task requests (besides the volume). */
  readonly resources: ResourceMap;
  /** command overrides the default one (append a line, print the file). */
  readonly command?: string;
  /** destroy releases the volume and the reservation and removes the framework. */
  readonly destroy: boolean;
  readonly out: (line: string) => void;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

// The default task: on a later run the file must already be there (the volume kept it).
const SCRIPT = [
  'f="$VOLUME/runs.log"',
  'if [ "$RUN" -gt 1 ] && [ ! -s "$f" ]; then echo "no data from earlier runs in $f" >&2; exit 3; fi',
  'echo "run $RUN" >> "$f"',
  'echo "$f now holds:"; cat "$f"',
].join('; ');

const DECLINE_SECONDS = 5;
const DONE_REFUSE_SECONDS = 3600;

/** reservationOf is the framework's reservation: its role and principal, labelled with its name. */
export function reservationOf(o: StatefulOptions): ReservationOptions {
  return { role: o.role, principal: o.principal, labels: { framework: o.framework } };
}

/** serviceTask is run `run`'s task (without the volume mount, which the plan adds). */
export function serviceTask(o: StatefulOptions, run: number): TaskTemplate {
  return {
    name: `${o.framework}-${run}`,
    labels: { 'corral.dev/stateful': o.framework },
    spec: {
      resources: o.resources,
      command: { value: o.command ?? SCRIPT },
      env: [
        { name: 'RUN', value: String(run) },
        { name: 'VOLUME', value: o.containerPath },
      ],
    },
  };
}

type Phase = 'waiting' | 'running' | 'releasing' | 'done';

/**
 * runStateful runs once (see the file comment) and returns the exit code: 0 when the task
 * finished (or, with destroy, everything was released), 1 otherwise, 130 when interrupted.
 */
export async function runStateful(o: StatefulOptions): Promise<number> {
  const st: { phase: Phase; memory: Memory; task?: string } = {
    phase: 'waiting',
    memory: { runs: 0 },
  };
  const ended = deferred<Task | 'released' | undefined>();
  const declined = new Set<string>();

  const decline = async (d: FrameworkDriver, offer: Offer, why: string, seconds: number) => {
    if (!declined.has(why)) o.out(`Declining offers: ${why}`);
    declined.add(why);
    await d.decline(offer, { refuseSeconds: seconds });
  };

  const answer = async (d: FrameworkDriver, offer: Offer): Promise<void> => {
    if (st.phase === 'releasing') {
      const step = planRelease({
        offer,
        reservation: reservationOf(o),
        persistenceId: o.persistenceId,
      });
      if (step.kind === 'decline') return decline(d, offer, step.why, 1);
      await d.accept(offer, step.operations, { refuseSeconds: 0 });
      o.out(
        `Destroyed volume ${o.persistenceId} and unreserved ${step.released} on agent ${offer.spec.agent}`,
      );
      st.phase = 'done';
      ended.resolve('released');
      return;
    }
    if (st.phase !== 'waiting')
      return decline(d, offer, 'the task is launched', DONE_REFUSE_SECONDS);
    const run = st.memory.runs + 1;
    const step = planVolume({
      offer,
      reservation: reservationOf(o),
      persistenceId: o.persistenceId,
      containerPath: o.containerPath,
      diskMb: o.diskMb,
      task: serviceTask(o, run),
      ...(st.memory.agent === undefined ? {} : { agent: st.memory.agent }),
    });
    if (step.kind === 'decline') return decline(d, offer, step.why, DECLINE_SECONDS);
    await d.accept(offer, step.operations, { refuseSeconds: DONE_REFUSE_SECONDS });
    st.phase = 'running';
    st.task = serviceTask(o, run).name;
    st.memory = { agent: offer.spec.agent, runs: run };
    await d.annotate({ [AGENT_ANNOTATION]: offer.spec.agent, [RUNS_ANNOTATION]: String(run) });
    const what = {
      launch: `Launching task '${st.task}' on volume ${o.persistenceId}`,
      create: `Creating volume ${o.persistenceId} on the reserved disk and launching '${st.task}'`,
      reserve: `Reserving resources for role ${o.role}, creating volume ${o.persistenceId}, launching '${st.task}'`,
    }[step.kind];
    o.out(`${what} (agent ${offer.spec.agent})`);
    await d.suppress();
  };

  const scheduler: Scheduler = {
    async onRegistered({ framework, reregistered }, d) {
      o.out(
        `Framework '${o.framework}' ${reregistered ? 're-registered' : 'registered'} in namespace '${o.namespace}'`,
      );
      st.memory = recall(framework, (await d.reconcile()).tasks);
      if (st.memory.agent !== undefined)
        o.out(
          `Remembered: volume ${o.persistenceId} on agent ${st.memory.agent}, ${st.memory.runs} run(s) so far`,
        );
      const { running, ended: old } = st.memory;
      for (const t of old ?? []) await d.kill(t);
      if (o.destroy) {
        st.phase = running === undefined ? 'releasing' : 'waiting';
        if (running !== undefined)
          o.out(`Task '${running.metadata.name ?? ''}' still runs; stop it before --destroy`);
        if (running !== undefined) ended.resolve(undefined);
        return;
      }
      if (running === undefined) return;
      st.phase = 'running';
      st.task = running.metadata.name ?? '';
      o.out(
        `Task '${st.task}' of an earlier run is ${running.status?.state ?? 'pending'}; following it`,
      );
      await d.suppress();
    },
    async onOffers(offers, d) {
      for (const offer of offers) {
        try {
          await answer(d, offer);
        } catch (e) {
          if (!isOfferRescinded(e)) throw e;
        }
      }
    },
    onTaskStatus(task) {
      if (task.metadata.name !== st.task || st.phase !== 'running') return;
      o.out(describeStatus(task));
      if (isTerminalTask(task)) ended.resolve(task);
    },
    onError: e => o.out(`error: ${e instanceof Error ? e.message : String(e)}`),
  };

  const driver = await connect({
    kubeConfig: o.kubeConfig,
    namespace: o.namespace,
    name: o.framework,
    // A week of failover: a run that dies leaves its task running for the next run to find.
    framework: { roles: [o.role], principal: o.principal, failoverTimeoutSeconds: 7 * 24 * 3600 },
    scheduler,
    clock: o.clock,
    ...(o.logger === undefined ? {} : { logger: o.logger }),
  });
  let outcome: Task | 'released' | 'interrupted' | undefined = 'interrupted';
  try {
    const interrupted = untilAborted(o.signal).then(() => 'interrupted' as const);
    outcome = await Promise.race([ended.promise, interrupted]);
  } finally {
    if (outcome === 'released') await driver.teardown();
    else await driver.stop();
  }
  if (outcome === 'interrupted') return 130;
  if (outcome === 'released') return 0;
  return outcome?.status?.state === 'TASK_FINISHED' ? 0 : 1;
}
