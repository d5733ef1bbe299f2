// A set of keys held by the workers of one controller, so that two passes never work on the same
// agent or framework at once even though they reconcile different objects. A pass that finds a
// key held parks its request on that key and is woken when the holder lets go: retrying on a timer
// instead kept thousands of answered Offers of one framework spinning through the queue every few
// milliseconds (most of the controllers' CPU at 5000 agents).

/** KeyGuard lets a pass hold several keys, all or none, and parks those that find one held. */
export class KeyGuard<W> {
  readonly #held = new Set<string>();
  readonly #parked = new Map<string, Set<W>>();

  /**
   * enter holds every key and returns true, or holds none, parks `waiter` on a held key (if
   * given) and returns false; exit of that key hands the waiter back.
   */
  enter(keys: readonly string[], waiter?: W): boolean {
    const busy = keys.find(k => this.#held.has(k));
    if (busy === undefined) {
      for (const k of keys) this.#held.add(k);
      return true;
    }
    if (waiter !== undefined) {
      const parked = this.#parked.get(busy) ?? new Set<W>();
      parked.add(waiter);
      this.#parked.set(busy, parked);
    }
    return false;
  }

  /** exit releases keys held by enter and returns the waiters parked on them, to be retried. */
  exit(keys: readonly string[]): W[] {
    const woken: W[] = [];
    for (const k of keys) {
      this.#held.delete(k);
      const parked = this.#parked.get(k);
      if (parked === undefined) continue;
      this.#parked.delete(k);
      woken.push(...parked);
    }
    return woken;
  }

  /** parked counts the waiters not yet handed back (for tests and metrics). */
  get parked(): number {
    let n = 0;
    for (const s of this.#parked.values()) n += s.size;
    return n;
  }
}
