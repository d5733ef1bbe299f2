// In-process locks. Cross-process safety comes from the rename protocol (atomic.ts); these only
// stop one agent from doing the same download or unpack twice, and keep GC out of a pull's way.

/** KeyedMutex runs at most one task per key at a time, in arrival order. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** run waits for earlier tasks on `key`, then runs `fn`; a failure does not block later ones. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * RwLock lets many readers (pulls, rootfs assembly) run together and one writer (GC) run alone.
 * A waiting writer blocks new readers, so a busy agent cannot starve its GC.
 */
export class RwLock {
  private readers = 0;
  private writer: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  /** read runs `fn` while no writer holds the lock. */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writer !== undefined) await this.writer;
    this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      if (this.readers === 0) this.drained?.();
    }
  }

  /** write waits for the current readers to finish, then runs `fn` alone. */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writer !== undefined) await this.writer;
    let release: () => void = () => undefined;
    this.writer = new Promise<void>(r => (release = r));
    try {
      while (this.readers > 0) await new Promise<void>(r => (this.drained = r));
      return await fn();
    } finally {
      this.drained = undefined;
      this.writer = undefined;
      release();
    }
  }
}
