// Hierarchical weighted DRF sorter (Mesos src/master/allocator/mesos/sorter/drf/sorter.cpp).
//
// Shares are kept current incrementally: an allocation change recomputes the shares on the
// client's path and moves each node to its place among its siblings (one comparison when it
// stays, else a binary search). The whole tree is re-sorted only when every share went stale at
// once (the cluster totals or a weight changed, or clients were added).
//
// Mesos takes a snapshot of the order (`sort()`) for every agent it visits. `visit()` walks the
// live tree instead, with the same result and no copy: an allocation made during the walk only
// moves the allocated client and its ancestors, and only to the right (shares grow), so the
// nodes not yet visited keep their relative order; the walk stays at the same index when the
// node it just visited moved away, and skips a node met again after it moved.
import type { ScalarDelta } from '../model/scalar-vector.ts';
import type { ShareBasis } from './share-basis.ts';
import type { SorterNode } from './sorter-node.ts';
import { attach, compareDrf, detach, makeNode, place } from './sorter-node.ts';

/** SorterOptions configure a sorter: role paths split on `/`; framework ids do not. */
export interface SorterOptions {
  readonly hierarchical: boolean;
  readonly basis: ShareBasis;
}

/** DrfSorter orders clients (roles, or the frameworks of one role) by weighted dominant share. */
export class DrfSorter<T> {
  readonly #root: SorterNode<T> = makeNode<T>('', 'internal', undefined);
  readonly #clients = new Map<string, SorterNode<T>>();
  readonly #weights = new Map<string, number>();
  readonly #hierarchical: boolean;
  readonly #basis: ShareBasis;
  #basisVersion = -1;
  #dirty = true;
  #sorted: readonly T[] | undefined;
  #pass = 0;

  constructor(options: SorterOptions) {
    this.#hierarchical = options.hierarchical;
    this.#basis = options.basis;
  }

  /** size is the number of clients. */
  get size(): number {
    return this.#clients.size;
  }

  /** contains reports a client. */
  contains(client: string): boolean {
    return this.#clients.has(client);
  }

  /** add inserts a client (inactive unless `active`) carrying `payload`; it must be new. */
  add(client: string, payload: T, active: boolean): void {
    if (this.#clients.has(client)) throw new Error(`sorter already has client ${client}`);
    const tokens = this.#hierarchical ? client.split('/') : [client];
    let cur = this.#root;
    let i = 0;
    let leaf: SorterNode<T> | undefined;
    // 1. Walk down existing nodes; stop at a leaf (which becomes internal with a virtual `.`
    //    child keeping its client), at the end of the path (a virtual child for this client), or
    //    where the path leaves the tree.
    for (;;) {
      if (i === tokens.length) {
        leaf = makeNode<T>('.', 'inactive', cur);
        attach(cur, leaf);
        break;
      }
      if (cur !== this.#root && cur.kind !== 'internal') {
        this.#splitLeaf(cur);
        break;
      }
      const child = cur.children.find(c => c.name === tokens[i]);
      if (child === undefined) break;
      cur = child;
      i++;
    }
    // 2. Create what is missing of the path; its last segment is the client's leaf.
    for (; leaf === undefined && i < tokens.length; i++) {
      const node = makeNode<T>(
        tokens[i] as string,
        i === tokens.length - 1 ? 'inactive' : 'internal',
        cur,
      );
      attach(cur, node);
      cur = node;
    }
    leaf ??= cur;
    leaf.client = client;
    leaf.payload = payload;
    this.#clients.set(client, leaf);
    this.#dirty = true;
    if (active) this.activate(client);
  }

  #splitLeaf(node: SorterNode<T>): void {
    const parent = node.parent as SorterNode<T>;
    const virt = makeNode<T>('.', node.kind, node);
    virt.allocation = node.allocation.copy();
    virt.count = node.count;
    virt.client = node.client;
    virt.payload = node.payload;
    detach(parent, node);
    node.kind = 'internal';
    node.client = undefined;
    node.payload = undefined;
    attach(parent, node);
    attach(node, virt);
    if (virt.client !== undefined) this.#clients.set(virt.client, virt);
  }

  /** remove deletes a client, collapsing internal nodes it leaves with a lone virtual child. */
  remove(client: string): void {
    const leaf = this.#clients.get(client);
    if (leaf === undefined) return;
    this.#clients.delete(client);
    const allocation = leaf.allocation;
    let cur = leaf;
    while (cur.parent !== undefined) {
      const parent = cur.parent;
      if (cur !== leaf) cur.allocation.subtractVector(allocation);
      if (cur.children.length === 0 && (cur === leaf || cur.kind === 'internal')) {
        detach(parent, cur);
      } else if (cur.children.length === 1 && cur.children[0]?.name === '.') {
        const virt = cur.children[0];
        detach(parent, cur);
        cur.kind = virt.kind;
        cur.client = virt.client;
        cur.payload = virt.payload;
        cur.children = [];
        cur.activeCount = 0;
        attach(parent, cur);
        if (cur.client !== undefined) this.#clients.set(cur.client, cur);
      }
      cur = parent;
    }
    this.#root.allocation.subtractVector(allocation);
    this.#dirty = true;
  }

  /** activate makes a client eligible for `sorted()`. */
  activate(client: string): void {
    const leaf = this.#clients.get(client);
    if (leaf === undefined || leaf.kind !== 'inactive') return;
    const parent = leaf.parent as SorterNode<T>;
    detach(parent, leaf);
    leaf.kind = 'active';
    attach(parent, leaf);
    this.#sorted = undefined;
    if (!this.#stale()) {
      leaf.share = this.#share(leaf);
      place(parent, leaf);
    }
  }

  /** deactivate hides a client from `sorted()` (Mesos keeps its allocation, and so do we). */
  deactivate(client: string): void {
    const leaf = this.#clients.get(client);
    if (leaf === undefined || leaf.kind !== 'active') return;
    const parent = leaf.parent as SorterNode<T>;
    detach(parent, leaf);
    leaf.kind = 'inactive';
    attach(parent, leaf);
    this.#sorted = undefined;
  }

  /** updateWeight sets the weight of a role path; every share is recomputed at the next sort. */
  updateWeight(path: string, weight: number): void {
    this.#weights.set(path, weight);
    this.#dirty = true;
  }

  /** allocated adds to a client's allocation (an offer or a launch); counts one allocation. */
  allocated(client: string, delta: ScalarDelta): void {
    this.#change(client, delta, 1);
  }

  /** unallocated takes from a client's allocation (a decline, rescind or finished task). */
  unallocated(client: string, delta: ScalarDelta): void {
    this.#change(client, delta, -1);
  }

  #change(client: string, delta: ScalarDelta, sign: 1 | -1): void {
    const leaf = this.#clients.get(client);
    if (leaf === undefined) throw new Error(`sorter has no client ${client}`);
    const incremental = !this.#stale();
    for (let cur: SorterNode<T> = leaf; cur.parent !== undefined; cur = cur.parent) {
      if (sign > 0) {
        cur.allocation.add(delta);
        cur.count++;
      } else {
        cur.allocation.subtract(delta);
      }
      if (incremental && cur.kind !== 'inactive') {
        cur.share = this.#share(cur);
        if (place(cur.parent, cur)) this.#sorted = undefined;
      }
    }
    if (sign > 0) this.#root.allocation.add(delta);
    else this.#root.allocation.subtract(delta);
  }

  /** allocation is a client's current allocation (read-only for callers). */
  allocation(client: string): SorterNode<T>['allocation'] | undefined {
    return this.#clients.get(client)?.allocation;
  }

  /** totalAllocation is the sum over all clients. */
  get totalAllocation(): SorterNode<T>['allocation'] {
    return this.#root.allocation;
  }

  /** share is a client's current weighted dominant share. */
  share(client: string): number {
    const leaf = this.#clients.get(client);
    return leaf === undefined ? 0 : this.#share(leaf);
  }

  #stale(): boolean {
    if (this.#basisVersion !== this.#basis.version) {
      this.#basisVersion = this.#basis.version;
      this.#dirty = true;
    }
    return this.#dirty;
  }

  #share(node: SorterNode<T>): number {
    const weight = node.name === '.' ? 1 : (this.#weights.get(node.path) ?? 1);
    return this.#basis.share(node.allocation, weight);
  }

  #sortTree(node: SorterNode<T>): void {
    const prefix = node.children.slice(0, node.activeCount);
    for (const child of prefix) child.share = this.#share(child);
    prefix.sort(compareDrf);
    node.children.splice(0, prefix.length, ...prefix);
    for (const child of prefix) if (child.kind === 'internal') this.#sortTree(child);
  }

  #ensureSorted(): void {
    if (this.#stale()) {
      this.#sortTree(this.#root);
      this.#dirty = false;
      this.#sorted = undefined;
    }
  }

  /**
   * visit calls `fn` with each active client's payload in DRF order (pre-order over sorted
   * siblings) until it returns false. `fn` may allocate to clients (see the header comment), but
   * must not add, remove, activate or deactivate any, nor change totals or weights.
   */
  visit(fn: (payload: T) => boolean): void {
    this.#ensureSorted();
    visitLive(this.#root, fn, ++this.#pass);
  }

  /** sorted lists the active clients' payloads in DRF order (pre-order over sorted siblings). */
  sorted(): readonly T[] {
    this.#ensureSorted();
    if (this.#sorted !== undefined) return this.#sorted;
    const out: T[] = [];
    const walk = (node: SorterNode<T>): void => {
      for (let i = 0; i < node.activeCount; i++) {
        const child = node.children[i] as SorterNode<T>;
        if (child.kind === 'internal') walk(child);
        else out.push(child.payload as T);
      }
    };
    walk(this.#root);
    this.#sorted = out;
    return out;
  }
}

function visitLive<T>(node: SorterNode<T>, fn: (payload: T) => boolean, pass: number): boolean {
  let i = 0;
  while (i < node.activeCount) {
    const child = node.children[i] as SorterNode<T>;
    if (child.visited === pass) {
      i++;
      continue;
    }
    child.visited = pass;
    const go = child.kind === 'internal' ? visitLive(child, fn, pass) : fn(child.payload as T);
    if (!go) return false;
    // Still here: nothing moved. Moved right: the next unvisited node slid into place i.
    if (node.children[i] === child) i++;
  }
  return true;
}
