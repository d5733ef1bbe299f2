// Starts the runtime's host processes (runc, conmon, mount) from small helper processes. Node's
// spawn forks the calling process and blocks its thread until the child has exec'd: in the agent
// (hundreds of MB mapped, a CPU busy with runc) that is 5–20 ms per process with the event loop
// stopped, and even from a worker thread the fork write-locks the agent's whole address space
// while it copies the page tables, stalling the loop on its next page fault. A helper is a
// separate ~45 MB process: its forks are cheap and never touch the agent's memory. Two helpers
// start processes in parallel; if none can run, jobs run in-line.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runJob } from './spawn-jobs.ts';
import type { Envelope, SpawnReply, SpawnRequest } from './spawn-protocol.ts';

interface Pending {
  readonly req: SpawnRequest;
  readonly resolve: (reply: SpawnReply) => void;
}

interface Helper {
  readonly child: ChildProcess;
  readonly pending: Map<number, Pending>;
  /** answered: the helper has replied at least once (it started and works). */
  answered: boolean;
}

/** SpawnerOptions size the pool. */
export interface SpawnerOptions {
  /** helpers started at most (each starts one process at a time; 2 by default). */
  readonly helpers?: number;
}

const HELPER = fileURLToPath(new URL('./spawn-helper.ts', import.meta.url));

// an idle helper must not keep the agent process alive, a busy one must
function hold(h: Helper, on: boolean): void {
  if (on) {
    h.child.ref();
    h.child.channel?.ref();
  } else {
    h.child.unref();
    h.child.channel?.unref();
  }
}

/** Spawner hands spawn requests to its helpers, the least busy first. */
export class Spawner {
  readonly #size: number;
  readonly #helpers: Helper[] = [];
  #nextId = 1;
  #broken = false;

  constructor(options: SpawnerOptions = {}) {
    this.#size = Math.max(1, options.helpers ?? 2);
  }

  /** submit runs one request; the reply is never a rejection (failures are FailedReply). */
  submit(req: SpawnRequest): Promise<SpawnReply> {
    const h = this.#helper();
    if (h === undefined) return runJob(req);
    const id = this.#nextId++;
    return new Promise(resolve => {
      h.pending.set(id, { req, resolve });
      hold(h, true);
      h.child.send({ id, body: req } satisfies Envelope<SpawnRequest>, err => {
        if (err !== null) this.#gone(h, `spawn helper unreachable: ${err.message}`);
      });
    });
  }

  // #helper is the least busy helper, a new one while the pool is not full and all are busy.
  #helper(): Helper | undefined {
    if (this.#broken) return undefined;
    const idle = this.#helpers.reduce<Helper | undefined>(
      (best, h) => (best === undefined || h.pending.size < best.pending.size ? h : best),
      undefined,
    );
    if (idle !== undefined && (idle.pending.size === 0 || this.#helpers.length >= this.#size)) {
      return idle;
    }
    try {
      return this.#start();
    } catch {
      this.#broken = true; // no helper here: run in-line from now on
      return idle;
    }
  }

  #start(): Helper {
    // no inherited flags (a profiler, an inspector): the helper is plain Node running one file
    const child = fork(HELPER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const h: Helper = { child, pending: new Map(), answered: false };
    hold(h, false);
    child.on('message', (m: Envelope<SpawnReply>) => {
      h.answered = true;
      const p = h.pending.get(m.id);
      h.pending.delete(m.id);
      if (h.pending.size === 0) hold(h, false);
      p?.resolve(m.body);
    });
    child.on('error', (e: Error) => this.#gone(h, `spawn helper failed: ${e.message}`));
    child.on('exit', code => this.#gone(h, `spawn helper exited (${code})`));
    this.#helpers.push(h);
    return h;
  }

  #gone(h: Helper, why: string): void {
    const i = this.#helpers.indexOf(h);
    if (i >= 0) this.#helpers.splice(i, 1);
    // a helper that never answered could not start: run in-line from now on, these jobs too
    if (!h.answered) this.#broken = true;
    for (const p of h.pending.values()) {
      if (h.answered) p.resolve({ kind: 'failed', message: why });
      else void runJob(p.req).then(p.resolve);
    }
    h.pending.clear();
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill();
  }
}

let shared: Spawner | undefined;

/** processSpawner is the process-wide pool every runtime in this process shares. */
export function processSpawner(): Spawner {
  shared ??= new Spawner();
  return shared;
}
