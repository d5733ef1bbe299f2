// The order the agent carries out its Operations in: the order they were created, as Mesos's agent
// applies operations in the order the master sent them. A CREATE and a later DESTROY of the same
// persistence id (or a DESTROY and a re-CREATE, or a volume's move and its DESTROY) must not
// overtake each other, and an informer hands the pending ones over in list order, by name, after
// every (re)list: at an agent restart, say. creationTimestamp has whole seconds only, so within a
// second resourceVersion decides (the sender writes each Operation and its PENDING status before
// the next), then the name.

/** Ordered is what the order reads of an Operation. */
export interface Ordered {
  readonly metadata: {
    readonly creationTimestamp?: string;
    readonly resourceVersion?: string;
    readonly name?: string;
  };
}

const time = (o: Ordered): number => {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

// by code unit, not locale: the same order on every host
const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * compareVersions orders two resourceVersions: etcd revisions (decimal), compared as numbers,
 * never as text ("9" < "10"); anything else by its text.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const digits = /^[0-9]+$/;
  if (a === undefined || b === undefined || !digits.test(a) || !digits.test(b)) {
    return text(a ?? '', b ?? '');
  }
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** byCreation compares two Operations: creationTimestamp, then resourceVersion, then name. */
export function byCreation(a: Ordered, b: Ordered): number {
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const rv = compareVersions(a.metadata.resourceVersion, b.metadata.resourceVersion);
  if (rv !== 0) return rv;
  return text(a.metadata.name ?? '', b.metadata.name ?? '');
}

/** inCreationOrder returns a sorted copy of `ops`. */
export function inCreationOrder<T extends Ordered>(ops: readonly T[]): T[] {
  return [...ops].sort(byCreation);
}
