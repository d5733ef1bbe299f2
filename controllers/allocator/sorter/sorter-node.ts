// One node of a DRF sorter tree and the order between siblings (Mesos `DRFSorter::Node`).
import { QuantityVector } from '../model/scalar-vector.ts';

/**
 * NodeKind: an internal node (a role with sub-roles), an active leaf (a client that may be
 * offered) or an inactive leaf (deactivated or suppressed, never returned by `sorted`).
 */
export type NodeKind = 'internal' | 'active' | 'inactive';

/**
 * SorterNode is a role path segment or a client. `children` keeps internal nodes and active
 * leaves first, in DRF order, in `[0, activeCount)`; inactive leaves follow in no order. A
 * client that also has sub-clients (role `a` beside `a/b`) lives in a virtual child named `.`.
 */
export interface SorterNode<T> {
  readonly name: string;
  /** path is the full path (`a/b`, or `a/.` for a virtual leaf); ties compare on it. */
  readonly path: string;
  readonly parent: SorterNode<T> | undefined;
  kind: NodeKind;
  children: SorterNode<T>[];
  activeCount: number;
  /** allocation is the sum over the subtree of offered and allocated scalars. */
  allocation: QuantityVector;
  /** count is how many allocations the subtree received: the first tie-breaker. */
  count: number;
  share: number;
  /** visited is the number of the last `visit` pass that reached this node. */
  visited: number;
  /** client and payload are set on leaves only. */
  client: string | undefined;
  payload: T | undefined;
}

/** makeNode creates a detached node under `parent` (attach it with `attach`). */
export function makeNode<T>(
  name: string,
  kind: NodeKind,
  parent: SorterNode<T> | undefined,
): SorterNode<T> {
  const path = parent === undefined || parent.path === '' ? name : `${parent.path}/${name}`;
  return {
    name,
    path,
    parent,
    kind,
    children: [],
    activeCount: 0,
    allocation: new QuantityVector(),
    count: 0,
    share: 0,
    visited: 0,
    client: undefined,
    payload: undefined,
  };
}

/** compareDrf orders siblings: lower share, then fewer allocations, then path (Mesos compareDRF). */
export function compareDrf<T>(a: SorterNode<T>, b: SorterNode<T>): number {
  if (a.share !== b.share) return a.share < b.share ? -1 : 1;
  if (a.count !== b.count) return a.count - b.count;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * attach adds a child: inactive leaves at the end, others at the front of the sorted prefix (the
 * caller re-sorts or repositions it).
 */
export function attach<T>(parent: SorterNode<T>, child: SorterNode<T>): void {
  if (child.kind === 'inactive') {
    parent.children.push(child);
  } else {
    parent.children.unshift(child);
    parent.activeCount++;
  }
}

/** detach removes a child from its parent's list. */
export function detach<T>(parent: SorterNode<T>, child: SorterNode<T>): void {
  const i = parent.children.indexOf(child);
  if (i < 0) return;
  parent.children.splice(i, 1);
  if (i < parent.activeCount) parent.activeCount--;
}

/**
 * place moves a node of the sorted prefix to its DRF position, assuming the rest of the prefix is
 * sorted: one step when it is already in place, else a binary search. Returns whether it moved.
 */
export function place<T>(parent: SorterNode<T>, node: SorterNode<T>): boolean {
  const list = parent.children;
  const i = list.indexOf(node);
  if (i < 0 || i >= parent.activeCount) return false;
  const prev = list[i - 1];
  const next = i + 1 < parent.activeCount ? list[i + 1] : undefined;
  const fitsLeft = prev === undefined || compareDrf(prev, node) <= 0;
  const fitsRight = next === undefined || compareDrf(node, next) <= 0;
  if (fitsLeft && fitsRight) return false;
  list.splice(i, 1);
  let lo = 0;
  let hi = parent.activeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareDrf(list[mid] as SorterNode<T>, node) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, node);
  return lo !== i;
}
