import { expect } from 'chai';
import type { Clock } from '../../../../core/util/clock.ts';
import {
  needsGc,
  runImageGcLoop,
  type GcOptions,
  type GcReport,
  type GcTrigger,
  type ImageGcConfig,
} from '../../../../agent/images/index.ts';
import { KeyedMutex, RwLock } from '../../../../agent/images/store/locks.ts';

const emptyReport: GcReport = {
  removedImages: [],
  removedLayers: [],
  removedBlobs: [],
  keptImages: [],
  freedBytes: 0,
};

describe('automatic image gc (Mesos image_gc_config)', () => {
  it('collects only when free space is at or below the headroom', () => {
    expect(needsGc({ total: 100, free: 10 }, 0.1)).to.equal(true);
    expect(needsGc({ total: 100, free: 11 }, 0.1)).to.equal(false);
    expect(needsGc({ total: 0, free: 0 }, 0.5)).to.equal(false);
  });

  it('checks every interval, passes in-use and excluded images, and stops on abort', async () => {
    const ac = new AbortController();
    const free = [50, 5, 40];
    const calls: GcOptions[] = [];
    const slept: number[] = [];
    const clock: Clock = {
      now: () => 0,
      sleep: ms => {
        slept.push(ms);
        if (slept.length === free.length) ac.abort();
        return ac.signal.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
      },
    };
    const free0 = [...free];
    await runImageGcLoop({
      config: {
        imageDiskHeadroom: 0.1,
        imageDiskWatchIntervalMs: 60_000,
        excludedImages: ['busybox'],
      },
      storeDir: '/unused',
      gc: opts => {
        calls.push(opts);
        return Promise.resolve(emptyReport);
      },
      inUse: () => new Set([`sha256:${'a'.repeat(64)}` as const]),
      clock,
      signal: ac.signal,
      space: () => Promise.resolve({ total: 100, free: free0.shift() ?? 100 }),
    });
    expect(calls).to.have.length(1);
    expect(calls[0]?.excludedImages).to.deep.equal(['busybox']);
    expect([...(calls[0]?.keep ?? [])]).to.deep.equal(['sha256:' + 'a'.repeat(64)]);
    expect(slept).to.deep.equal([60_000, 60_000, 60_000]);
  });

  it('rejects a headroom outside [0, 1]', async () => {
    let err: unknown;
    try {
      await runImageGcLoop({
        config: { imageDiskHeadroom: 1.5, imageDiskWatchIntervalMs: 1, excludedImages: [] },
        storeDir: '/',
        gc: () => Promise.resolve(emptyReport),
        inUse: () => new Set(),
        clock: { now: () => 0, sleep: () => Promise.resolve() },
        signal: new AbortController().signal,
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RangeError);
  });
});

/** loopWorld runs the loop on a fake clock that advances by each sleep, for `sleeps` sleeps. */
async function loopWorld(o: {
  config: Partial<ImageGcConfig>;
  sleeps: number;
  free?: (t: number) => number;
  usage?: (t: number) => number;
  gcFails?: boolean;
}) {
  const ac = new AbortController();
  let t = 0;
  const slept: number[] = [];
  const passes: { t: number; opts: GcOptions; trigger?: GcTrigger }[] = [];
  const errors: unknown[] = [];
  const clock: Clock = {
    now: () => t,
    sleep: ms => {
      slept.push(ms);
      t += ms;
      if (slept.length >= o.sleeps) ac.abort();
      return ac.signal.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
    },
  };
  await runImageGcLoop({
    config: {
      imageDiskHeadroom: 0.1,
      imageDiskWatchIntervalMs: 400,
      excludedImages: [],
      ...o.config,
    },
    storeDir: '/unused',
    gc: opts => {
      passes.push({ t, opts });
      return o.gcFails ? Promise.reject(new Error('disk gone')) : Promise.resolve(emptyReport);
    },
    inUse: () => new Set(),
    clock,
    signal: ac.signal,
    space: () => Promise.resolve({ total: 100, free: o.free?.(t) ?? 100 }),
    usage: () => Promise.resolve(o.usage?.(t) ?? 0),
    onCollected: trigger => {
      const last = passes.at(-1);
      if (last !== undefined) last.trigger = trigger;
    },
    onError: e => errors.push(e),
  });
  return { slept, passes, errors };
}

describe('image gc loop: periodic and store-size triggers', () => {
  it('collects every interval, sparing recently used images, and checks disk in between', async () => {
    const w = await loopWorld({ config: { intervalMs: 1_000, maxUnusedAgeMs: 500 }, sleeps: 6 });
    // watch ticks at 400 and 800, then a short sleep to the periodic pass at 1000, and again
    expect(w.slept).to.deep.equal([400, 400, 200, 400, 400, 200]);
    expect(w.passes.map(p => [p.t, p.trigger, p.opts.maxUnusedAgeMs])).to.deep.equal([
      [1_000, 'periodic', 500],
    ]);
  });

  it('under disk pressure collects everything unused, without the recent-use grace', async () => {
    const w = await loopWorld({
      config: { intervalMs: 10_000, maxUnusedAgeMs: 500 },
      sleeps: 3,
      free: t => (t === 400 ? 5 : 100),
    });
    expect(w.passes.map(p => [p.t, p.trigger, p.opts.maxUnusedAgeMs])).to.deep.equal([
      [400, 'headroom', undefined],
    ]);
  });

  it('collects when the store grows past its size limit', async () => {
    const w = await loopWorld({
      config: { maxStoreBytes: 1_000 },
      sleeps: 4,
      usage: t => (t >= 800 ? 1_001 : 1_000),
    });
    expect(w.passes.map(p => [p.t, p.trigger])).to.deep.equal([
      [800, 'storeSize'],
      [1_200, 'storeSize'],
    ]);
  });

  it('after a failed pass waits for the next check instead of retrying at once', async () => {
    const w = await loopWorld({ config: { intervalMs: 400 }, sleeps: 4, gcFails: true });
    expect(w.slept).to.deep.equal([400, 400, 400, 400]);
    expect(w.passes.map(p => p.t)).to.deep.equal([400, 800, 1_200]);
    expect(w.errors).to.have.length(3);
  });

  it('rejects a negative interval or size', async () => {
    for (const config of [{ intervalMs: -1 }, { maxStoreBytes: -5 }, { maxUnusedAgeMs: -1 }]) {
      let err: unknown;
      await loopWorld({ config, sleeps: 1 }).catch((e: unknown) => (err = e));
      expect(err, JSON.stringify(config)).to.be.instanceOf(RangeError);
    }
  });
});

describe('store locks', () => {
  it('runs tasks on one key one at a time, in order, past failures', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise(r => setTimeout(r, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      };
    const results = await Promise.allSettled([
      m.run('k', task('a', true)),
      m.run('k', task('b')),
      m.run('other', task('c')),
    ]);
    expect(results.map(r => r.status)).to.deep.equal(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('end a')).to.be.lessThan(log.indexOf('start b'));
    expect(log.indexOf('start c')).to.be.lessThan(log.indexOf('end a'));
  });

  it('lets readers share and makes a writer wait for them, blocking new readers', async () => {
    const l = new RwLock();
    const log: string[] = [];
    const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));
    const r1 = l.read(async () => {
      log.push('r1 start');
      await sleep(10);
      log.push('r1 end');
    });
    const r2 = l.read(async () => {
      log.push('r2 start');
      await sleep(10);
      log.push('r2 end');
    });
    await sleep(1);
    const w = l.write(async () => {
      log.push('w');
      await sleep(5);
      log.push('w end');
    });
    const r3 = l.read(() => Promise.resolve(void log.push('r3')));
    await Promise.all([r1, r2, w, r3]);
    expect(log.slice(0, 2)).to.deep.equal(['r1 start', 'r2 start']);
    expect(log.indexOf('w')).to.be.greaterThan(log.indexOf('r2 end'));
    expect(log.indexOf('r3')).to.be.greaterThan(log.indexOf('w end'));
  });
});
