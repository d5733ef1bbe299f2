import { expect } from 'chai';
import { GroupCommit, type Committer } from '../../../../api/storage/group-commit.ts';
import { storedText, type WriteOp, type WriteOutcome } from '../../../../api/storage/etcd-txn.ts';

/** A committer that records each transaction and answers when the test releases it. */
function scripted(): { committer: Committer; sent: WriteOp[][]; release: () => void } {
  const sent: WriteOp[][] = [];
  const waiting: (() => void)[] = [];
  const answer = (ops: readonly WriteOp[]): Promise<WriteOutcome[]> => {
    sent.push([...ops]);
    return new Promise(resolve =>
      waiting.push(() => resolve(ops.map(() => ({ succeeded: true, revision: `${sent.length}` })))),
    );
  };
  return {
    committer: {
      one: async op => (await answer([op]))[0] as WriteOutcome,
      many: ops => answer(ops),
    },
    sent,
    release: () => {
      for (const w of waiting.splice(0)) w();
    },
  };
}

const put = (key: string, value = 'x'): WriteOp => ({
  kind: 'create',
  key,
  value: storedText(value),
});
const tick = (): Promise<void> => new Promise(r => setImmediate(r));

describe('group commit (scripted committer, no etcd)', () => {
  it('sends a write at once while below maxInFlight, and groups what waits behind it', async () => {
    const s = scripted();
    const g = new GroupCommit(s.committer, { maxInFlight: 1, maxOps: 10, maxBytes: 1e6 });
    const first = g.submit(put('a'));
    const rest = ['b', 'c', 'd'].map(k => g.submit(put(k)));
    expect(s.sent.map(t => t.map(o => o.key))).to.deep.equal([['a']]);
    s.release();
    await first;
    await tick();
    expect(s.sent.map(t => t.map(o => o.key))).to.deep.equal([['a'], ['b', 'c', 'd']]);
    s.release();
    expect((await Promise.all(rest)).map(o => o.revision)).to.deep.equal(['2', '2', '2']);
    expect(g.stats).to.deep.equal({ batches: 1, batchedOps: 3 });
  });

  it('never puts two writes of one key in a transaction and keeps their order', async () => {
    const s = scripted();
    const g = new GroupCommit(s.committer, { maxInFlight: 1, maxOps: 10, maxBytes: 1e6 });
    const all = [put('busy'), put('k', '1'), put('j'), put('k', '2'), put('k', '3')].map(op =>
      g.submit(op),
    );
    for (let i = 0; i < 4; i++) {
      s.release();
      await tick();
      await tick();
    }
    s.release();
    await Promise.all(all);
    const keys = s.sent.map(t => t.map(o => o.key));
    expect(keys).to.deep.equal([['busy'], ['k', 'j'], ['k'], ['k']]);
    const kValues = s.sent
      .flat()
      .flatMap(o => (o.key === 'k' && o.kind !== 'delete' ? [o.value.text] : []));
    expect(kValues).to.deep.equal(['1', '2', '3']);
  });

  it('splits a queue by maxOps and maxBytes', async () => {
    const s = scripted();
    const g = new GroupCommit(s.committer, { maxInFlight: 1, maxOps: 3, maxBytes: 300 });
    const all = [
      put('busy'),
      ...['a', 'b', 'c', 'd'].map(k => put(k)),
      put('big', 'y'.repeat(400)),
    ];
    const done = all.map(op => g.submit(op));
    for (let i = 0; i < 5; i++) {
      s.release();
      await tick();
      await tick();
    }
    await Promise.all(done);
    // a write bigger than maxBytes still goes, alone
    expect(s.sent.map(t => t.map(o => o.key))).to.deep.equal([
      ['busy'],
      ['a', 'b', 'c'],
      ['d'],
      ['big'],
    ]);
  });

  describe('lingering (commit_delay)', () => {
    const limits = {
      maxInFlight: 2,
      maxOps: 4,
      maxBytes: 1e6,
      linger: { ms: 30, minShare: 2 },
    };
    // a clock the test moves: `gap` ms between two submits
    function steady(gapMs: number) {
      let t = 0;
      return { now: () => t, step: () => void (t += gapMs) };
    }
    const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

    it('a trickle of writes leaves one at a time, at once', async () => {
      const s = scripted();
      const clock = steady(100); // 30 ms would hold 0.3 writes: not worth waiting
      const g = new GroupCommit(s.committer, limits, clock.now);
      for (const k of ['a', 'b', 'c']) {
        void g.submit(put(k));
        expect(
          s.sent.at(-1)?.map(o => o.key),
          `${k} sent at once`,
        ).to.deep.equal([k]);
        clock.step();
        s.release();
        await tick();
      }
    });

    it('a steady stream lingers: writes that could each leave alone share one transaction', async () => {
      const s = scripted();
      const clock = steady(5); // 6 writes expected within 30 ms
      const g = new GroupCommit(s.committer, limits, clock.now);
      void g.submit(put('w1'));
      expect(s.sent, 'the first goes alone: no pace known yet').to.have.length(1);
      s.release();
      await tick();
      const done = ['x', 'y', 'z'].map(k => {
        clock.step();
        return g.submit(put(k));
      });
      expect(s.sent, 'waiting for company, though nothing is in flight').to.have.length(1);
      await sleep(60);
      expect(s.sent.map(t => t.map(o => o.key))).to.deep.equal([['w1'], ['x', 'y', 'z']]);
      s.release();
      await Promise.all(done);
    });

    it('a full transaction does not wait out the linger', async () => {
      const s = scripted();
      const clock = steady(1);
      const g = new GroupCommit(s.committer, limits, clock.now);
      void g.submit(put('a'));
      s.release();
      await tick();
      for (const k of ['b', 'c', 'd', 'e']) {
        clock.step();
        void g.submit(put(k));
      }
      expect(s.sent.map(t => t.map(o => o.key))).to.deep.equal([['a'], ['b', 'c', 'd', 'e']]);
      s.release();
    });
  });

  it('rejects every write of a transaction that failed as a whole', async () => {
    const failing: Committer = {
      one: () => Promise.reject(new Error('etcd down')),
      many: () => Promise.reject(new Error('etcd down')),
    };
    const g = new GroupCommit(failing, { maxInFlight: 1, maxOps: 10, maxBytes: 1e6 });
    const results = await Promise.allSettled(['a', 'b', 'c'].map(k => g.submit(put(k))));
    expect(results.map(r => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
  });
});
