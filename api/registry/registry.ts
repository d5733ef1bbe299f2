import type { ResourceInfo } from './resource-info.ts';

type Listener = () => void;

/**
 * ResourceRegistry is the set of resources the server serves right now: the built-ins plus every
 * established CRD. `all()` returns a new array identity after each change so callers can cache
 * derived documents (discovery, OpenAPI) by identity.
 */
export class ResourceRegistry {
  private readonly fixed: readonly ResourceInfo[];
  private readonly fromCrds = new Map<string, readonly ResourceInfo[]>();
  private byPath = new Map<string, ResourceInfo>();
  private snapshot: readonly ResourceInfo[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(builtins: readonly ResourceInfo[]) {
    this.fixed = builtins;
    this.rebuild();
  }

  /** all lists every served resource (one entry per served version). */
  all(): readonly ResourceInfo[] {
    return this.snapshot;
  }

  /** lookup finds a served resource by group, version and plural. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** byKind finds the served resource of a kind in a group/version (for owner references). */
  byKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.snapshot.find(r => r.group === group && r.version === version && r.kind === kind);
  }

  /** setCrd replaces the resources served for one CRD (by CRD name). */
  setCrd(name: string, infos: readonly ResourceInfo[]): void {
    this.fromCrds.set(name, infos);
    this.rebuild();
  }

  /** removeCrd stops serving a CRD's resources. */
  removeCrd(name: string): void {
    if (this.fromCrds.delete(name)) this.rebuild();
  }

  /** crdFor tells which CRD (by name) serves a group/plural, if any. */
  crdFor(group: string, plural: string): string | undefined {
    for (const [name, infos] of this.fromCrds) {
      if (infos.some(i => i.group === group && i.plural === plural)) return name;
    }
    return undefined;
  }

  /** onChange subscribes to changes of the served set; returns an unsubscribe function. */
  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private rebuild(): void {
    const list = [...this.fixed, ...[...this.fromCrds.values()].flat()];
    this.snapshot = list;
    this.byPath = new Map(list.map(r => [`${r.group}/${r.version}/${r.plural}`, r]));
    for (const fn of this.listeners) fn();
  }
}
