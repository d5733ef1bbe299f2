// A new leader's view: events held from before the lists, then applied in order through a guard
// that drops what the lists already showed (or what was gone before them).
import { expect } from 'chai';
import type {
  InformerHandlers,
  ObjectList,
  SharedInformer,
} from '../../../../core/client/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import type { KindHandlers } from '../../../../controllers/allocator/api-adapter.ts';
import type { AllocatorSources, FreshLists } from '../../../../controllers/allocator/fresh-view.ts';
import { guarded } from '../../../../controllers/allocator/event-guard.ts';
import { follow } from '../../../../controllers/allocator/fresh-view.ts';

interface Obj extends KubeObject {
  spec?: { v: number };
}

const obj = (name: string, rv: number, uid = `uid-${name}`, v = rv): Obj => ({
  apiVersion: 'x/v1',
  kind: 'X',
  metadata: { name, resourceVersion: String(rv), uid },
  spec: { v },
});

const list = (rv: number, items: Obj[]): ObjectList<Obj> => ({
  apiVersion: 'x/v1',
  kind: 'XList',
  metadata: { resourceVersion: String(rv) },
  items,
});

/** Recorder notes what reaches the adapter's handlers. */
function recorder(): KindHandlers<Obj> & { seen: string[] } {
  const seen: string[] = [];
  const rv = (o: Obj) => o.metadata.resourceVersion ?? '';
  return {
    seen,
    add: o => seen.push(`add ${o.metadata.name ?? ''}@${rv(o)}`),
    update: (old, o) => seen.push(`update ${o.metadata.name ?? ''}@${rv(old)}->${rv(o)}`),
    delete: o => seen.push(`delete ${o.metadata.name ?? ''}@${rv(o)}`),
  };
}

describe('allocator: the fresh view of a new leader', () => {
  const cases: {
    name: string;
    listed: Obj[];
    events: (h: InformerHandlers<Obj>) => void;
    want: string[];
  }[] = [
    {
      name: "drops the informer's replay of a listed object at the same or an older version",
      listed: [obj('a', 10)],
      events: h => {
        h.add?.(obj('a', 10));
        h.add?.(obj('a', 8));
      },
      want: [],
    },
    {
      name: 'applies a newer state as an update from the listed one',
      listed: [obj('a', 10)],
      events: h => h.update?.(obj('a', 8), obj('a', 12)),
      want: ['update a@10->12'],
    },
    {
      name: 'drops an add at or below the list revision of an object the list lacks (gone before it)',
      listed: [],
      events: h => {
        h.add?.(obj('b', 15));
        h.delete?.(obj('b', 16));
      },
      want: [],
    },
    {
      name: 'applies an object created after the list, and its deletion',
      listed: [],
      events: h => {
        h.add?.(obj('c', 21));
        h.delete?.(obj('c', 22));
      },
      want: ['add c@21', 'delete c@22'],
    },
    {
      name: "applies a relist's deletion, which carries the cache's older state, with the newer one",
      listed: [obj('a', 10)],
      events: h => h.delete?.(obj('a', 5)),
      want: ['delete a@10'],
    },
    {
      name: 'drops the deletion of an older incarnation of a listed name',
      listed: [obj('a', 18, 'uid-new')],
      events: h => {
        h.delete?.(obj('a', 16, 'uid-old'));
        h.add?.(obj('a', 18, 'uid-new'));
      },
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = recorder();
      c.events(guarded(r, list(20, c.listed)));
      expect(r.seen).to.deep.equal(c.want);
    });
  }

  it('holds events from subscription until start, then applies them after the rebuild', () => {
    const subscribers = new Map<string, InformerHandlers<KubeObject>>();
    const informer = (kind: string) =>
      ({
        on: (h: InformerHandlers<KubeObject>) => {
          subscribers.set(kind, h);
          h.add?.(obj(`${kind}-cached`, 19));
          return () => subscribers.delete(kind);
        },
      }) as unknown as SharedInformer<KubeObject>;
    const kinds = ['agents', 'reservations', 'volumes', 'frameworks', 'roles', 'quotas', 'tasks'];
    const sources = Object.fromEntries(
      [...kinds, 'offers'].map(k => [k, informer(k)]),
    ) as unknown as AllocatorSources;
    const following = follow(sources);
    // the offer listed by the new leader is deleted before it subscribed handlers
    subscribers.get('offers')?.delete?.(obj('offer-1', 25));
    const offers = recorder();
    const noop = { add: () => undefined, update: () => undefined, delete: () => undefined };
    const adapter = Object.fromEntries([...kinds.map(k => [k, noop]), ['offers', offers]]) as never;
    const lists = Object.fromEntries([
      ...kinds.map(k => [k, list(20, [])]),
      ['offers', list(20, [obj('offer-1', 12)])],
    ]) as unknown as FreshLists;
    expect(offers.seen).to.deep.equal([]);
    following.start(lists, adapter);
    expect(offers.seen).to.deep.equal(['delete offer-1@25']);
    subscribers.get('offers')?.add?.(obj('offer-2', 30));
    expect(offers.seen).to.deep.equal(['delete offer-1@25', 'add offer-2@30']);
    following.stop();
    expect(subscribers.size).to.equal(0);
  });
});
