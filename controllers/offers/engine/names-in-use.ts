// The names an answer may not give a new record (task names, operation ids): those held by the
// framework's records other than this answer's own, read one at a time from a lookup, and those
// the plan itself hands out. A lookup instead of a set of every name: building the set cost each
// plan a pass over all of the framework's Tasks (20,000 at the e2e bench's size).
import type { OwnedName } from './types.ts';

/** NameLookup finds the framework's record of a name, with the Offer behind it. */
export type NameLookup = (name: string) => OwnedName | undefined;

/** lookupOfList indexes a list of records once (tests and small views). */
export function lookupOfList(list: readonly OwnedName[] | undefined): NameLookup {
  const byName = new Map((list ?? []).map(o => [o.name, o]));
  return name => byName.get(name);
}

/** NamesInUse answers `has` and takes `add`, like a Set of every name in use. */
export class NamesInUse {
  readonly #lookup: NameLookup;
  readonly #offer: string;
  readonly #added: Set<string>;

  /** `offer`'s own records (an earlier, interrupted run of its plan) do not count as in use. */
  constructor(lookup: NameLookup, offer: string, added: Iterable<string> = []) {
    this.#lookup = lookup;
    this.#offer = offer;
    this.#added = new Set(added);
  }

  has(name: string): boolean {
    if (this.#added.has(name)) return true;
    const held = this.#lookup(name);
    return held !== undefined && held.offer !== this.#offer;
  }

  add(name: string): void {
    this.#added.add(name);
  }

  /** fork is a copy whose additions do not reach this one (a task group tried as a whole). */
  fork(): NamesInUse {
    return new NamesInUse(this.#lookup, this.#offer, this.#added);
  }
}
