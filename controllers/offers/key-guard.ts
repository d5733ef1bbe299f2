// A set of keys held by the workers of one controller, so that two passes never work on the same
// agent or framework at once even though they reconcile different objects.

/** KeyGuard lets a pass hold several keys, all or none. */
export class KeyGuard {
  readonly #held = new Set<string>();

  /** enter holds every key and returns true, or holds none and returns false. */
  enter(keys: readonly string[]): boolean {
    if (keys.some(k => this.#held.has(k))) return false;
    for (const k of keys) this.#held.add(k);
    return true;
  }

  /** exit releases keys held by enter. */
  exit(keys: readonly string[]): void {
    for (const k of keys) this.#held.delete(k);
  }
}
