import { expect } from 'chai';
import { pino } from 'pino';
import type { EventSource, InformerHandlers } from '../../../../core/client/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { Controller } from '../../../../controllers/runtime/controller.ts';
import { ExponentialRateLimiter } from '../../../../controllers/runtime/rate-limiter.ts';
import type { Request, Result } from '../../../../controllers/runtime/reconciler.ts';
import { TerminalError, done } from '../../../../controllers/runtime/reconciler.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';
import { eventually } from '../../../helpers/eventually.ts';

const logger = pino({ level: 'silent' });

/** FakeSource is an EventSource a test drives by hand. */
class FakeSource implements EventSource<KubeObject> {
  readonly subs = new Set<InformerHandlers<KubeObject>>();
  synced = true;
  on(h: InformerHandlers<KubeObject>): () => void {
    this.subs.add(h);
    return () => this.subs.delete(h);
  }
  hasSynced(): boolean {
    return this.synced;
  }
  waitForSync(): Promise<void> {
    return Promise.resolve();
  }
  add(name: string, namespace?: string): void {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: namespace === undefined ? { name } : { name, namespace },
    };
    for (const h of this.subs) h.add?.(obj);
  }
}

type Step = (req: Request, signal: AbortSignal) => Promise<Result>;

interface Harness {
  clock: FakeClock;
  source: FakeSource;
  controller: Controller;
  calls: { key: string; at: number }[];
  stop: AbortController;
  running: Promise<void>;
}

function start(step: Step, workers = 1): Harness {
  const clock = new FakeClock();
  const source = new FakeSource();
  const calls: { key: string; at: number }[] = [];
  const controller = new Controller({
    name: 'test',
    clock,
    logger,
    workers,
    rateLimiter: () => new ExponentialRateLimiter({ baseMs: 100, maxMs: 800 }),
    reconciler: {
      reconcile: (req, signal) => {
        calls.push({ key: `${req.namespace}/${req.name}`, at: clock.now() });
        return step(req, signal);
      },
    },
  }).watch(source);
  const stop = new AbortController();
  const running = controller.start(stop.signal);
  return { clock, source, controller, calls, stop, running };
}

describe('Controller', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    h?.stop.abort();
    await h?.running;
    h = undefined;
  });

  it('reconciles each watched object once per burst of events, in arrival order', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    h = start(async req => {
      if (req.name === 'busy') await gate;
      return done;
    });
    await settle();
    h.source.add('busy'); // holds the only worker while the burst arrives
    h.source.add('a', 'ns');
    h.source.add('b');
    h.source.add('a', 'ns');
    release();
    await eventually(() => expect(h!.calls.map(c => c.key)).to.deep.equal(['/busy', 'ns/a', '/b']));
    await settle();
    expect(h.calls).to.have.length(3);
  });

  it('never runs one key on two workers at once, yet reconciles again after a change meanwhile', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    h = start(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate;
      inFlight -= 1;
      return done;
    }, 4);
    await settle();
    h.source.add('k');
    await eventually(() => expect(h!.calls).to.have.length(1));
    h.source.add('k');
    h.source.add('k');
    await settle();
    expect(h.calls, 'no second worker while the first holds k').to.have.length(1);
    release();
    await eventually(() => expect(h!.calls).to.have.length(2));
    expect(maxInFlight).to.equal(1);
  });

  it('retries a failing key with growing backoff up to the cap, then resets after a success', async () => {
    let failUntil = 6;
    h = start(() =>
      h!.calls.length <= failUntil ? Promise.reject(new Error('boom')) : Promise.resolve(done),
    );
    await settle();
    h.source.add('x');
    await eventually(() => expect(h!.calls).to.have.length(1));
    for (let i = 1; i <= 6; i++) {
      await h.clock.waitForSleepers(1);
      await h.clock.advance(h.clock.nextAt! - h.clock.now());
      await eventually(() => expect(h!.calls).to.have.length(i + 1));
    }
    const gaps = h.calls.slice(1).map((c, i) => c.at - h!.calls[i]!.at);
    expect(gaps).to.deep.equal([100, 200, 400, 800, 800, 800]);
    // success reset the key's history: the next failure waits the base delay again
    failUntil = 100;
    h.source.add('x');
    await eventually(() => expect(h!.calls).to.have.length(8));
    await h.clock.waitForSleepers(1);
    expect(h.clock.nextAt! - h.clock.now()).to.equal(100);
  });

  it('does not retry a TerminalError', async () => {
    h = start(() => Promise.reject(new TerminalError('cannot ever work')));
    await settle();
    h.source.add('t');
    await eventually(() => expect(h!.calls).to.have.length(1));
    await h.clock.advance(60_000);
    expect(h.calls).to.have.length(1);
    expect(h.clock.pending).to.equal(0);
  });

  it('looks again after requeueAfterMs', async () => {
    h = start(() => Promise.resolve({ requeueAfterMs: 5_000 }));
    await settle();
    h.source.add('p');
    await eventually(() => expect(h!.calls).to.have.length(1));
    await h.clock.advance(4_999);
    expect(h.calls).to.have.length(1);
    await h.clock.advance(1);
    await eventually(() => expect(h!.calls).to.have.length(2));
    expect(h.calls[1]!.at - h.calls[0]!.at).to.equal(5_000);
  });

  it('stops on abort: the running reconcile sees the signal and start resolves', async () => {
    let sawAbort = false;
    h = start(
      (_req, signal) =>
        new Promise<Result>((_, reject) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('aborted'));
          }),
        ),
      2,
    );
    await settle();
    h.source.add('slow');
    await eventually(() => expect(h!.calls).to.have.length(1));
    h.stop.abort();
    await h.running;
    expect(sawAbort).to.equal(true);
    expect(h.source.subs.size, 'handlers are removed').to.equal(0);
    expect(h.clock.pending, 'no retry scheduled after abort').to.equal(0);
    h.controller.enqueue({ namespace: '', name: 'after' });
    expect(h.calls).to.have.length(1);
  });
});
