// One pass over an agent's open Operations, oldest first (operation-order.ts), apart from where
// they come from (the agent's informer cache) and how each is confirmed (confirm.ts). Each pick
// reads the source again, so an Operation that arrives or closes during the pass is seen, and an
// older one a relist brings back is taken before newer ones.
import type { Operation } from '../../core/types/operation.ts';
import { isOpen } from './confirm.ts';
import { compareVersions, inCreationOrder } from './operation-order.ts';

/** OrderedPassDeps are the Operations to look at and how one is carried out and confirmed. */
export interface OrderedPassDeps {
  /** list returns the agent's Operations as last seen (open or not). */
  readonly list: () => readonly Operation[];
  /**
   * confirm carries out and confirms one, returning the record as the API server last answered
   * it (undefined when it read or wrote nothing); throwing ends the pass (the caller retries it).
   */
  readonly confirm: (op: Operation, signal: AbortSignal) => Promise<Operation | undefined>;
}

const uidOf = (op: Operation): string => op.metadata.uid ?? op.metadata.name ?? '';

/** OrderedPass confirms open Operations one at a time, in creation order. */
export class OrderedPass {
  readonly #d: OrderedPassDeps;
  // The resourceVersion each Operation had when this pass last settled it (confirmed it, or found
  // it closed). `list` may still show an older, open copy until the watch catches up: without
  // this, the next pick would carry it out a second time. A newer copy is taken on its merits
  // (the operation controller may have made it PENDING again).
  readonly #settled = new Map<string, string>();

  constructor(deps: OrderedPassDeps) {
    this.#d = deps;
  }

  #stale(op: Operation): boolean {
    const settled = this.#settled.get(uidOf(op));
    return settled !== undefined && compareVersions(op.metadata.resourceVersion, settled) <= 0;
  }

  /** next is the oldest open Operation not settled here already. */
  next(): Operation | undefined {
    return inCreationOrder(this.#d.list().filter(op => isOpen(op) && !this.#stale(op)))[0];
  }

  /** run confirms every open Operation, oldest first, until none is left or `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    for (let op = this.next(); op !== undefined && !signal.aborted; op = this.next()) {
      const latest = (await this.#d.confirm(op, signal)) ?? op;
      this.#settled.set(uidOf(op), latest.metadata.resourceVersion ?? '');
    }
  }

  /** seen tells the pass of a copy from the watch: once it has caught up, the mark can go. */
  seen(op: Operation): void {
    const settled = this.#settled.get(uidOf(op));
    if (settled !== undefined && compareVersions(op.metadata.resourceVersion, settled) >= 0)
      this.#settled.delete(uidOf(op));
  }

  /** gone tells the pass the Operation was deleted. */
  gone(op: Operation): void {
    this.#settled.delete(uidOf(op));
  }
}
