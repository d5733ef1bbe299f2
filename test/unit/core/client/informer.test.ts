import { expect } from 'chai';
import { pino } from 'pino';
import type {
  ListWatcher,
  ObjectList,
  WatchEvent,
  WatchOptions,
} from '../../../../core/client/index.ts';
import {
  ClientError,
  corralKinds,
  dropManagedFields,
  makeSharedInformer,
} from '../../../../core/client/index.ts';
import type { Role } from '../../../../core/types/index.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';
import { eventually } from '../../../helpers/eventually.ts';

const role = (name: string, rv: string, weight = 1): Role => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Role',
  metadata: { name, resourceVersion: rv },
  spec: { role: name, weight },
});

/** Stream is one scripted watch: the test pushes events, fails or ends it. */
class Stream {
  private readonly items: (WatchEvent<Role> | Error | 'end')[] = [];
  private wake: (() => void) | undefined;
  readonly opts: WatchOptions;
  constructor(opts: WatchOptions) {
    this.opts = opts;
  }
  push(x: WatchEvent<Role> | Error | 'end'): void {
    this.items.push(x);
    this.wake?.();
  }
  async *iterate(): AsyncGenerator<WatchEvent<Role>> {
    const signal = this.opts.signal!;
    for (;;) {
      while (this.items.length === 0) {
        if (signal.aborted) throw signal.reason;
        await new Promise<void>(r => {
          this.wake = r;
          signal.addEventListener('abort', () => r(), { once: true });
        });
      }
      const x = this.items.shift()!;
      if (x === 'end') return;
      if (x instanceof Error) throw x;
      yield x;
    }
  }
}

/** FakeSource lists from `state` (or fails while `listError` is set) and records watches. */
class FakeSource implements ListWatcher<Role> {
  readonly kind = corralKinds.roles;
  state: Role[] = [];
  rv = '10';
  lists = 0;
  listError: Error | undefined;
  readonly watches: Stream[] = [];
  list(): Promise<ObjectList<Role>> {
    this.lists += 1;
    if (this.listError !== undefined) return Promise.reject(this.listError);
    return Promise.resolve({
      apiVersion: 'v1',
      kind: 'RoleList',
      metadata: { resourceVersion: this.rv },
      items: structuredClone(this.state),
    });
  }
  watch(opts: WatchOptions): AsyncIterable<WatchEvent<Role>> {
    const s = new Stream(opts);
    this.watches.push(s);
    return s.iterate();
  }
  get last(): Stream {
    return this.watches[this.watches.length - 1]!;
  }
}

const unavailable = () =>
  new ClientError({ reason: 'ServiceUnavailable', code: 503, message: 'down' });
const gone = () => new ClientError({ reason: 'Expired', code: 410, message: 'too old' });

describe('makeSharedInformer', () => {
  let clock: FakeClock;
  let source: FakeSource;
  let stop: AbortController;
  let running: Promise<void>;
  let log: string[];
  const informer = () =>
    makeSharedInformer(source, {
      clock,
      logger: pino({ level: 'silent' }),
      random: () => 0,
      backoff: { initialMs: 100, maxMs: 400 },
    });
  let inf: ReturnType<typeof informer>;

  beforeEach(() => {
    clock = new FakeClock();
    source = new FakeSource();
    stop = new AbortController();
    log = [];
    inf = informer();
    inf.on({
      add: o => log.push(`add ${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`),
      update: (old, o) =>
        log.push(
          `update ${o.metadata.name ?? ''}@${old.metadata.resourceVersion ?? ''}->${o.metadata.resourceVersion ?? ''}`,
        ),
      delete: o => log.push(`delete ${o.metadata.name ?? ''}`),
    });
  });
  afterEach(async () => {
    stop.abort();
    await running;
  });

  const startWith = async (items: Role[]): Promise<void> => {
    source.state = items;
    running = inf.run(stop.signal);
    await inf.waitForSync(stop.signal);
    await eventually(() => expect(source.watches).to.have.length(1));
  };

  it('lists, reports synced, then applies watch events from the list’s resourceVersion', async () => {
    expect(inf.hasSynced()).to.equal(false);
    await startWith([role('a', '5')]);
    expect(inf.hasSynced()).to.equal(true);
    expect(source.last.opts.resourceVersion).to.equal('10');
    source.last.push({ type: 'ADDED', object: role('b', '11') });
    source.last.push({ type: 'MODIFIED', object: role('a', '12', 3) });
    source.last.push({ type: 'MODIFIED', object: role('a', '12', 3) }); // same version: no update
    source.last.push({ type: 'DELETED', object: role('b', '13') });
    await eventually(() =>
      expect(log).to.deep.equal(['add a@5', 'add b@11', 'update a@5->12', 'delete b']),
    );
    expect(inf.cache.list().map(o => o.metadata.name)).to.deep.equal(['a']);
    expect(inf.cache.get({ name: 'a' })?.spec.weight).to.equal(3);
  });

  it('hands out frozen objects', async () => {
    await startWith([role('a', '5')]);
    const a = inf.cache.get({ name: 'a' })!;
    expect(() => {
      a.spec.weight = 9;
    }).to.throw(TypeError);
    expect(Object.isFrozen(a.metadata)).to.equal(true);
  });

  it('replays the cache as adds to a late subscriber', async () => {
    await startWith([role('a', '5'), role('b', '6')]);
    const late: string[] = [];
    inf.on({ add: o => late.push(o.metadata.name ?? '') });
    expect(late).to.deep.equal(['a', 'b']);
  });

  it('keeps dispatching when a handler throws', async () => {
    inf.on({
      add: () => {
        throw new Error('bad handler');
      },
    });
    await startWith([]);
    source.last.push({ type: 'ADDED', object: role('c', '11') });
    await eventually(() => expect(log).to.deep.equal(['add c@11']));
  });

  it('re-watches from the last resourceVersion after a clean close, without relisting', async () => {
    await startWith([]);
    source.last.push({ type: 'ADDED', object: role('c', '11') });
    source.last.push({ type: 'BOOKMARK', resourceVersion: '15' });
    source.last.push('end');
    await eventually(() => expect(source.watches).to.have.length(2));
    expect(source.last.opts.resourceVersion).to.equal('15');
    expect(source.lists).to.equal(1);
  });

  it('restarts after other errors with growing, capped backoff on the clock', async () => {
    await startWith([]);
    source.last.push(unavailable());
    await clock.waitForSleepers(1);
    expect(clock.nextAt! - clock.now()).to.equal(100);
    await clock.advance(100);
    await eventually(() => expect(source.watches).to.have.length(2));
    expect(source.last.opts.resourceVersion, 'resumes, no relist').to.equal('10');
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      source.last.push(unavailable());
      await clock.waitForSleepers(1);
      delays.push(clock.nextAt! - clock.now());
      await clock.advance(clock.nextAt! - clock.now());
      await eventually(() => expect(source.watches).to.have.length(3 + i));
    }
    expect(delays).to.deep.equal([200, 400, 400, 400]);
    source.last.push({ type: 'ADDED', object: role('d', '20') });
    source.last.push(unavailable());
    await clock.waitForSleepers(1);
    expect(clock.nextAt! - clock.now(), 'an event resets the backoff').to.equal(100);
  });

  it('retries a failing list until it succeeds, and only then reports synced', async () => {
    source.listError = unavailable();
    running = inf.run(stop.signal);
    await clock.waitForSleepers(1);
    expect(inf.hasSynced()).to.equal(false);
    source.listError = undefined;
    source.state = [role('a', '5')];
    await clock.advance(100);
    await inf.waitForSync(stop.signal);
    expect(log).to.deep.equal(['add a@5']);
  });

  it('relists at once on 410 and reconciles the cache: vanished objects are deleted, changed ones updated', async () => {
    await startWith([role('a', '5'), role('b', '6')]);
    source.state = [role('a', '30', 7), role('c', '31')];
    source.rv = '40';
    source.last.push(gone());
    await eventually(() => expect(source.watches).to.have.length(2));
    expect(source.lists).to.equal(2);
    expect(source.last.opts.resourceVersion).to.equal('40');
    expect(log.slice(2)).to.deep.equal(['update a@5->30', 'add c@31', 'delete b']);
    expect(clock.pending, 'no backoff wait for the first 410').to.equal(0);
  });

  it('resolves run when the signal aborts', async () => {
    await startWith([]);
    stop.abort();
    await running;
    await settle();
    expect(source.watches).to.have.length(1);
  });
});

describe('makeSharedInformer over a source that watches in batches', () => {
  it('applies each batch’s events in order, never calls watch, and resumes after the last', async () => {
    const watchedFrom: (string | undefined)[] = [];
    let plainWatches = 0;
    // per watch, the batches it delivers before the server closes it; the last one stays open
    const script: WatchEvent<Role>[][][] = [
      [
        [
          { type: 'ADDED', object: role('b', '11') },
          { type: 'MODIFIED', object: role('a', '12', 3) },
        ],
        [
          { type: 'DELETED', object: role('b', '13') },
          { type: 'BOOKMARK', resourceVersion: '14' },
        ],
      ],
      [[{ type: 'ADDED', object: role('c', '15') }]],
    ];
    async function* batches(
      opts: WatchOptions,
      planned: WatchEvent<Role>[][] | undefined,
    ): AsyncGenerator<readonly WatchEvent<Role>[]> {
      if (planned === undefined) {
        const signal = opts.signal!;
        await new Promise(r => signal.addEventListener('abort', r, { once: true }));
        return;
      }
      yield* planned;
    }
    const source: ListWatcher<Role> = {
      kind: corralKinds.roles,
      list: () =>
        Promise.resolve({
          apiVersion: 'v1',
          kind: 'RoleList',
          metadata: { resourceVersion: '10' },
          items: [role('a', '5')],
        }),
      watch: () => {
        plainWatches += 1;
        return (async function* () {})();
      },
      watchBatches: opts => {
        watchedFrom.push(opts.resourceVersion);
        return batches(opts, script.shift());
      },
    };
    const inf = makeSharedInformer(source, {
      clock: new FakeClock(),
      logger: pino({ level: 'silent' }),
      random: () => 0,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    const log: string[] = [];
    inf.on({
      add: o => log.push(`add ${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`),
      update: (_, o) =>
        log.push(`update ${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`),
      delete: o => log.push(`delete ${o.metadata.name ?? ''}`),
    });
    const stop = new AbortController();
    const running = inf.run(stop.signal);
    try {
      await eventually(() => expect(watchedFrom).to.deep.equal(['10', '14', '15']));
      expect(log).to.deep.equal(['add a@5', 'add b@11', 'update a@12', 'delete b', 'add c@15']);
      expect(plainWatches).to.equal(0);
    } finally {
      stop.abort();
      await running;
    }
  });
});

describe('makeSharedInformer with a transform', () => {
  const tracked = (name: string, rv: string): Role => ({
    ...role(name, rv),
    metadata: {
      name,
      resourceVersion: rv,
      managedFields: [
        { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' },
      ],
    },
  });

  it('caches and hands out listed and watched objects as dropManagedFields leaves them', async () => {
    const source = new FakeSource();
    source.state = [tracked('a', '5')];
    const inf = makeSharedInformer(source, {
      clock: new FakeClock(),
      logger: pino({ level: 'silent' }),
      random: () => 0,
      transform: dropManagedFields,
    });
    const seen: Role[] = [];
    inf.on({ add: o => seen.push(o), update: (_, o) => seen.push(o), delete: o => seen.push(o) });
    const stop = new AbortController();
    const running = inf.run(stop.signal);
    try {
      await inf.waitForSync(stop.signal);
      await eventually(() => expect(source.watches).to.have.length(1));
      source.last.push({ type: 'MODIFIED', object: tracked('a', '6') });
      source.last.push({ type: 'ADDED', object: tracked('b', '7') });
      source.last.push({ type: 'DELETED', object: tracked('b', '8') });
      await eventually(() => expect(seen).to.have.length(4));
      for (const o of seen) {
        expect(o.metadata).to.not.have.property('managedFields');
        expect(o.metadata.name).to.be.a('string');
        expect(Object.isFrozen(o.metadata)).to.equal(true);
      }
      expect(inf.cache.get({ name: 'a' })?.metadata).to.deep.equal({
        name: 'a',
        resourceVersion: '6',
      });
    } finally {
      stop.abort();
      await running;
    }
  });

  it('dropManagedFields keeps an object without managedFields as it is', () => {
    const plain = role('a', '1');
    expect(dropManagedFields(plain)).to.equal(plain);
    expect(plain.metadata).to.deep.equal({ name: 'a', resourceVersion: '1' });
  });
});
