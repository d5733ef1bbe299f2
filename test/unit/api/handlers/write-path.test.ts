// guaranteedUpdate starting from the watch cache's copy. A cache that lags etcd cannot be made
// on demand with the real store (it catches up within milliseconds), so these tests fake the
// store: etcd's state and the cache's view of it are two maps the test sets apart. The real
// store's side (getCached) is covered by test/integration/api/update-path.test.ts.
import { expect } from 'chai';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { ApiError } from '../../../../core/errors/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { systemClock } from '../../../../core/util/clock.ts';
import type { ResourceRequest } from '../../../../api/handlers/context.ts';
import { guaranteedUpdate } from '../../../../api/handlers/write-path.ts';
import type { ResourceInfo } from '../../../../api/registry/resource-info.ts';
import { ResourceRegistry } from '../../../../api/registry/registry.ts';
import { StorageError } from '../../../../api/storage/types.ts';
import type { Store, Stored } from '../../../../api/storage/types.ts';

const WIDGETS: ResourceInfo = {
  group: 'example.com',
  version: 'v1',
  storageVersion: 'v1',
  plural: 'widgets',
  singular: 'widget',
  kind: 'Widget',
  listKind: 'WidgetList',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  statusSubresource: true,
  printerColumns: [],
  selectableFields: [],
  deprecated: false,
};
const KEY = '/registry/example.com/widgets/default/w1';

function widget(rv: string, size: number): Stored {
  const object: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'default', resourceVersion: rv },
    spec: { size },
  };
  return { key: KEY, object, rv };
}

/** FakeStore is etcd (`etcd`) and a watch cache that may lag it (`cached`); it counts reads. */
class FakeStore {
  etcd: Stored | undefined;
  cached: Stored | undefined;
  reads = 0;
  writes = 0;
  #rev = 100;

  store(): Store {
    const unused = (): never => {
      throw new Error('not used by guaranteedUpdate');
    };
    return {
      get: key => {
        this.reads += 1;
        return Promise.resolve(key === KEY ? this.etcd : undefined);
      },
      getCached: key => (key === KEY ? this.cached : undefined),
      update: (key, object, expectedRv) => {
        if (this.etcd === undefined) throw new StorageError('NotFound', `${key} not found`);
        if (this.etcd.rv !== expectedRv) throw new StorageError('Conflict', 'moved on', this.etcd);
        this.writes += 1;
        const rv = String(++this.#rev);
        this.etcd = {
          key,
          object: { ...object, metadata: { ...object.metadata, resourceVersion: rv } },
          rv,
        };
        return Promise.resolve(this.etcd);
      },
      delete: unused,
      create: unused,
      list: unused,
      listCached: unused,
      watch: unused,
      currentRevision: unused,
      close: unused,
    };
  }
}

function request(store: Store, query: Record<string, string> = {}): ResourceRequest {
  return {
    deps: {
      store,
      registry: new ResourceRegistry([WIDGETS]),
      clock: systemClock,
      root: '/registry',
      logger: pino({ level: 'silent' }),
    },
    info: WIDGETS,
    namespace: 'default',
    name: 'w1',
    subresource: undefined,
    query,
    req: {} as Request,
    res: {} as Response,
  };
}

// setSize is an update that sets spec.size on a copy of what it is given, noting its bases.
function setSize(size: number, bases: string[]) {
  return (current: Stored): KubeObject => {
    bases.push(current.rv);
    const meta = { ...current.object.metadata };
    delete meta.resourceVersion;
    return { ...current.object, metadata: meta, spec: { size } };
  };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('guaranteedUpdate from the watch cache (a lagging cache, faked)', () => {
  it('writes over the cached copy at the client’s resourceVersion without reading etcd', async () => {
    const f = new FakeStore();
    f.etcd = f.cached = widget('7', 1);
    const bases: string[] = [];
    const out = await guaranteedUpdate(request(f.store()), setSize(2, bases), '7');
    expect(out.object['spec']).to.deep.equal({ size: 2 });
    expect({ reads: f.reads, bases }).to.deep.equal({ reads: 0, bases: ['7'] });
  });

  it('answers 409 when etcd moved past the cached copy the client pinned', async () => {
    const f = new FakeStore();
    f.cached = widget('7', 1);
    f.etcd = widget('9', 5);
    const err = await failure(guaranteedUpdate(request(f.store()), setSize(2, []), '7'));
    expect(err.reason).to.equal('Conflict');
    expect(f.etcd.rv).to.equal('9');
  });

  it('reads etcd when the cache has not reached the client’s resourceVersion', async () => {
    const f = new FakeStore();
    f.cached = widget('7', 1);
    f.etcd = widget('9', 5);
    const bases: string[] = [];
    await guaranteedUpdate(request(f.store()), setSize(2, bases), '9');
    expect({ reads: f.reads, bases, writes: f.writes }).to.deep.equal({
      reads: 1,
      bases: ['9'],
      writes: 1,
    });
  });

  it('retries from etcd when an unpinned write over a stale copy loses the race', async () => {
    const f = new FakeStore();
    f.cached = widget('7', 1);
    f.etcd = widget('9', 5);
    const bases: string[] = [];
    const out = await guaranteedUpdate(request(f.store()), setSize(2, bases));
    expect(bases).to.deep.equal(['7', '9']);
    expect(out.object['spec']).to.deep.equal({ size: 2 });
  });

  it('checks a no-op computed from a stale copy against etcd and writes what etcd lacks', async () => {
    const f = new FakeStore();
    f.cached = widget('7', 2);
    f.etcd = widget('9', 5);
    const bases: string[] = [];
    const out = await guaranteedUpdate(request(f.store()), setSize(2, bases));
    expect(bases).to.deep.equal(['7', '9']);
    expect(f.writes).to.equal(1);
    expect(out.object['spec']).to.deep.equal({ size: 2 });
  });

  it('answers a no-op from etcd’s copy, confirmed, without writing', async () => {
    const f = new FakeStore();
    f.cached = widget('9', 2);
    f.etcd = widget('9', 2);
    const out = await guaranteedUpdate(request(f.store()), setSize(2, []), '9');
    expect({ reads: f.reads, writes: f.writes }).to.deep.equal({ reads: 1, writes: 0 });
    expect(out.object).to.equal(f.etcd.object);
  });

  it('never starts a dry run from the cache', async () => {
    const f = new FakeStore();
    f.cached = widget('7', 1);
    f.etcd = widget('7', 1);
    const bases: string[] = [];
    await guaranteedUpdate(request(f.store(), { dryRun: 'All' }), setSize(2, bases), '7');
    expect({ reads: f.reads, writes: f.writes }).to.deep.equal({ reads: 1, writes: 0 });
  });
});
