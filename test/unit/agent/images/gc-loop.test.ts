import { expect } from 'chai';
import type { Clock } from '../../../../core/util/clock.ts';
import {
  needsGc,
  runImageGcLoop,
  type GcOptions,
  type GcReport,
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
