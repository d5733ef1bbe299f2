// One chaos run against the real API server: its own namespace, framework, agents and
// controllers; the scenario's steps played as the framework, the operator, the network and a
// crashing control plane would; no resource double-booked after any step; at the end, once the
// cluster is at rest, every state one Mesos allows and exactly one of every record.
import { expect } from 'chai';
import type { Client } from '../../../core/client/index.ts';
import { corralKinds } from '../../../core/client/index.ts';
import { parseResourceList } from '../../../core/resources/index.ts';
import type { Offer } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { ChaosAgents } from './chaos-agents.ts';
import { buildAnswer } from './chaos-answers.ts';
import { bookingProblems, idleProblems } from './chaos-booking.ts';
import { ChaosControllers } from './chaos-controllers.ts';
import { ChaosFramework } from './chaos-framework.ts';
import { History } from './chaos-history.ts';
import type { AcceptedAnswer } from './chaos-records.ts';
import { answerProblems, recordSumProblems, strayProblems } from './chaos-records.ts';
import type { OpKind, Scenario, Step } from './chaos-scenario.ts';
import { AGENTS, LAST_ACCEPTED, describeStep } from './chaos-scenario.ts';
import type { Snapshot } from './chaos-snapshot.ts';
import { readSnapshot, summary } from './chaos-snapshot.ts';
import type { RunFacts } from './chaos-states.ts';
import { restingProblems } from './chaos-states.ts';
import { makeFramework, makeNamespace, unique } from './cluster.ts';

/** ChaosFailure is a broken invariant, with what the run did up to it. */
export class ChaosFailure extends Error {}

/** ChaosRun is one scenario's cluster and what happened in it. */
export class ChaosRun {
  readonly #client: Client;
  readonly #namespace: string;
  readonly #scenario: Scenario;
  readonly #agents: ChaosAgents;
  readonly #controllers: ChaosControllers;
  readonly #framework: ChaosFramework;
  readonly #history = new History();
  readonly #answers: AcceptedAnswer[] = [];
  readonly #killed = new Set<string>();
  readonly #problems: string[] = [];
  readonly #trace: string[] = [];
  #n = 0;
  /** lastAccepted is the index of the agent of the offer accepted last */
  #lastAccepted = 0;

  private constructor(api: TestApiServer, client: Client, namespace: string, scenario: Scenario) {
    this.#client = client;
    this.#namespace = namespace;
    this.#scenario = scenario;
    this.#framework = new ChaosFramework(client, namespace);
    this.#agents = new ChaosAgents(api.kubeConfig, unique('c'), AGENTS);
    this.#controllers = new ChaosControllers(api.kubeConfig, namespace);
  }

  /** start makes the run's framework, watches, agents and controllers (all or nothing). */
  static async start(api: TestApiServer, client: Client, scenario: Scenario): Promise<ChaosRun> {
    const run = new ChaosRun(api, client, await makeNamespace(client), scenario);
    try {
      const caps = ['MULTI_ROLE', 'RESERVATION_REFINEMENT', 'SHARED_RESOURCES'] as const;
      const aware = scenario.partitionAware ? [...caps, 'PARTITION_AWARE' as const] : caps;
      await makeFramework(client, run.#namespace, aware);
      await run.#history.start(client, run.#namespace, new Set(run.#agents.names));
      await run.#agents.start();
      run.#controllers.start();
      return run;
    } catch (e) {
      await run.stop();
      throw e;
    }
  }

  /** play runs every step, checking for double-booking after each, then the end state. */
  async play(): Promise<void> {
    for (const [i, step] of this.#scenario.steps.entries()) {
      const outcome = await this.#step(step);
      this.#trace.push(`${i + 1}. ${describeStep(step)}: ${outcome}`);
      this.#fail(bookingProblems(await this.#snapshot()));
    }
    const rest = await this.#rest();
    this.#trace.push(`at rest: ${summary(rest)}`);
    this.#fail([
      ...this.#problems,
      ...this.#controllers.failures,
      ...bookingProblems(rest),
      ...recordSumProblems(rest),
      ...answerProblems(rest, this.#answers, this.#killed),
      ...strayProblems(rest, this.#answers),
      ...this.#history.problems(this.#facts()),
    ]);
  }

  /** trace is what the run did, step by step (CHAOS_TRACE=1 prints it). */
  get trace(): readonly string[] {
    return this.#trace;
  }

  /** stop ends the run and leaves nothing that could offer or take resources in the next. */
  async stop(): Promise<void> {
    this.#history.stop();
    await this.#controllers.stop();
    await this.#agents.stop();
    const agents = this.#client.for(corralKinds.agents);
    await Promise.all([
      ...this.#agents.names.map(name => agents.delete({ name }).catch(() => undefined)),
      this.#client
        .for(corralKinds.frameworks)
        .delete({ namespace: this.#namespace, name: 'fw' })
        .catch(() => undefined),
    ]);
  }

  #facts(): RunFacts {
    return {
      partitionAware: this.#scenario.partitionAware,
      fates: this.#agents.fates,
      everUnreachable: this.#history.everUnreachable(),
    };
  }

  #snapshot(): Promise<Snapshot> {
    return readSnapshot(this.#client, this.#namespace, new Set(this.#agents.names));
  }

  #fail(problems: readonly string[]): void {
    if (problems.length > 0) throw this.#failure(problems);
  }

  #failure(problems: readonly string[]): ChaosFailure {
    return new ChaosFailure(
      `${problems.join('\n')}\n\nwhat the run did:\n${this.#trace.join('\n')}`,
    );
  }

  // #rest waits until the cluster is at rest in a state Mesos allows (the last problems seen
  // fail the run), and the watches have seen it; no snapshot on the way may be double-booked
  async #rest(): Promise<Snapshot> {
    let booked: string[] = [];
    let last: string[] = [];
    const rest = await eventually(
      async () => {
        const s = await this.#snapshot();
        if (booked.length === 0) booked = bookingProblems(s);
        const up = [...this.#agents.fates].flatMap(([a, f]) => (f === 'up' ? [a] : []));
        last = [...restingProblems(s, this.#facts()), ...idleProblems(s, new Set(up))];
        if (last.length === 0 && !this.#history.caughtUp(s)) last = ['the watches lag behind'];
        if (last.length > 0) throw new Error('not at rest');
        return s;
      },
      30_000,
      100,
    ).catch(() => undefined);
    this.#fail(booked.map(b => `while coming to rest: ${b}`));
    if (rest === undefined)
      throw this.#failure(['the cluster did not come to rest in a state Mesos allows:', ...last]);
    return rest;
  }

  async #step(s: Step): Promise<string> {
    switch (s.kind) {
      case 'accept':
      case 'race':
        return this.#accept(s, s.kind === 'race');
      case 'decline': {
        const o = await this.#openOffer(s.offer);
        if (o === undefined) return 'no open offer';
        const response = { decline: { filters: { refuseSeconds: s.refuseSeconds } } };
        const declined = await this.#framework.answer(o, response);
        return declined ? `declined ${o.metadata.name ?? ''}` : 'lost the offer';
      }
      case 'rescind': {
        const o = await this.#openOffer(s.offer);
        if (o === undefined) return 'no open offer';
        const rescinded = await this.#framework.rescind(o);
        return rescinded ? `rescinded ${o.metadata.name ?? ''}` : 'answered meanwhile';
      }
      case 'kill': {
        const name = await this.#framework.kill(s.task);
        if (name === undefined) return 'no live task';
        this.#killed.add(name);
        return `killed ${name}`;
      }
      case 'lose': {
        const name = await this.#agents.lose(this.#agentIndex(s.agent));
        return name === undefined ? 'none runs' : `stopped ${name}`;
      }
      case 'return': {
        const name = await this.#agents.comeBack(this.#agentIndex(s.agent));
        return name === undefined ? 'none is lost' : `started ${name} again`;
      }
      case 'gone':
        return (await this.#agents.markGone(this.#agentIndex(s.agent), this.#client))
          ? 'marked'
          : 'was already';
      case 'restart':
        await new Promise(r => setTimeout(r, s.afterMs)); // where in the flow it is cut
        await this.#controllers.restart(s.which);
        return 'restarted';
      case 'settle': {
        const left = await eventually(async () => {
          const l = await this.#framework.answersLeft();
          expect(l).to.deep.equal([]);
          return l;
        }, 20_000).catch(async () => this.#framework.answersLeft());
        if (left.length > 0)
          throw this.#failure([`answers not carried out in 20 s: ${left.join(', ')}`]);
        return 'settled';
      }
      default:
        return assertNever(s, 'chaos step');
    }
  }

  async #accept(s: { offer: number; ops: readonly OpKind[]; feedback: boolean }, race: boolean) {
    const o = await this.#openOffer(s.offer);
    if (o === undefined) return 'no open offer';
    const offered = parseResourceList(o.spec.resources).unallocate();
    const a = buildAnswer(s.ops, offered, () => ++this.#n, s.feedback);
    const response = { accept: { operations: a.operations, filters: { refuseSeconds: 0 } } };
    const [accepted, rescinded] = await Promise.all([
      this.#framework.answer(o, response),
      race ? this.#framework.rescind(o) : Promise.resolve(false),
    ]);
    if (accepted && rescinded)
      this.#problems.push(`both an accept and a rescind of ${o.metadata.name ?? ''} took effect`);
    const name = o.metadata.name ?? '';
    if (!accepted) return rescinded ? `rescinded ${name} first` : 'lost the offer';
    this.#lastAccepted = Math.max(0, this.#agents.names.indexOf(o.spec.agent));
    this.#answers.push({ offer: name, uid: o.metadata.uid ?? '', agent: o.spec.agent, ...a });
    return `accepted ${name} of ${o.spec.agent} (${[...a.operationIds, ...a.taskNames].join(' ')})`;
  }

  #agentIndex(i: number): number {
    return i === LAST_ACCEPTED ? this.#lastAccepted : i;
  }

  // #openOffer waits a little for an offer only while some agent runs to make one
  #openOffer(pick: number): Promise<Offer | undefined> {
    return this.#framework.openOffer(pick, [...this.#agents.fates.values()].includes('up'));
  }
}
