// The records an answer touches, kept while its operations run: Reservations and Volumes the
// answer creates (merged with later edits in the same answer) and existing ones it edits.
import type { Resource } from '../../../core/resources/index.ts';
import { Resources, resourceEqual } from '../../../core/resources/index.ts';
import type { Operation, Task } from '../../../core/types/index.ts';
import { intersect } from './conversions.ts';
import { recordName, volumeRecordName } from './names.ts';
import type { Where } from './record-objects.ts';
import { rejectedStandIn, reservationObject, volumeObject } from './record-objects.ts';
import type { AgentState, OfferRef, RecordChange } from './types.ts';

interface ReservationEntry {
  readonly name: string;
  readonly resourceVersion?: string;
  readonly created: boolean;
  readonly original: Resources;
  resources: Resources;
}

interface VolumeEntry {
  readonly name: string;
  readonly resourceVersion?: string;
  readonly created: boolean;
  readonly original: Resource | undefined;
  /** resource is undefined once destroyed. */
  resource: Resource | undefined;
}

// Step keeps each record's first change in operation order; Operations are written first so a
// restarted controller finds the feedback of what it already did.
type Step =
  | { readonly kind: 'reservation' | 'volume'; readonly name: string }
  | { readonly task: Task; readonly index: number };

/** RejectedEntry is a task that only reports TASK_ERROR, from operation `index` of the answer. */
interface RejectedEntry {
  readonly task: Task;
  readonly index: number;
  /** taken: another Task held the name when the task was rejected. */
  readonly taken: boolean;
}

/** RecordBook collects an answer's record changes in the order its operations make them. */
export class RecordBook {
  readonly #where: Where;
  readonly #offer: OfferRef;
  readonly #reservations = new Map<string, ReservationEntry>();
  readonly #volumes = new Map<string, VolumeEntry>();
  readonly #operations: Operation[] = [];
  readonly #steps: Step[] = [];
  readonly #rejected: RejectedEntry[] = [];

  /**
   * The book starts from the agent's records, leaving out `own`: the names this answer creates,
   * which exist already only if a previous run of the same plan was cut short.
   */
  constructor(where: Where, offer: OfferRef, agent: AgentState, own: ReadonlySet<string>) {
    this.#where = where;
    this.#offer = offer;
    // Existing records in name order: edits choose among them deterministically.
    const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : 1);
    for (const r of [...agent.reservations].sort(byName)) {
      if (!own.has(r.name)) {
        this.#reservations.set(r.name, { ...r, created: false, original: r.resources });
      }
    }
    for (const v of [...agent.volumes].sort(byName)) {
      if (!own.has(v.name))
        this.#volumes.set(v.name, { ...v, created: false, original: v.resource });
    }
  }

  /** reserve records a RESERVE as a new Reservation named after the offer and the index. */
  reserve(index: number, resources: Resources): void {
    const name = recordName('Reservation', this.#offer, index);
    this.#reservations.set(name, { name, created: true, original: Resources.EMPTY, resources });
    this.#steps.push({ kind: 'reservation', name });
  }

  /**
   * unreserve takes `resources` out of the Reservations holding them: this answer's newest first,
   * then existing ones by name. What no record holds (static reservations cannot be unreserved,
   * so only an inconsistent agent) is ignored.
   */
  unreserve(resources: Resources): void {
    const entries = [...this.#reservations.values()];
    const order = [...entries.filter(e => e.created).reverse(), ...entries.filter(e => !e.created)];
    let need = resources;
    for (const e of order) {
      if (need.isEmpty()) break;
      const piece = intersect(e.resources, need);
      if (piece.isEmpty()) continue;
      e.resources = e.resources.subtract(piece);
      need = need.subtract(piece);
      this.#touch('reservation', e.name);
    }
  }

  /** createVolume records a CREATE of one volume as a new Volume record. */
  createVolume(index: number, volume: Resource): void {
    const name = volumeRecordName(this.#offer, index, volume);
    this.#volumes.set(name, { name, created: true, original: undefined, resource: volume });
    this.#steps.push({ kind: 'volume', name });
  }

  /** replaceVolume destroys (`next` undefined) or resizes the record holding `volume`. */
  replaceVolume(volume: Resource, next: Resource | undefined): void {
    const entries = [...this.#volumes.values()];
    const e =
      entries.find(
        x => x.created && x.resource !== undefined && resourceEqual(x.resource, volume),
      ) ?? entries.find(x => x.resource !== undefined && resourceEqual(x.resource, volume));
    if (e === undefined) return;
    e.resource = next;
    this.#touch('volume', e.name);
  }

  /** volume is the current resource of the Volume record `name` (undefined: none or destroyed). */
  volume(name: string): Resource | undefined {
    return this.#volumes.get(name)?.resource;
  }

  /** volumes lists the records (existing or new) that hold a volume now. */
  volumes(): readonly { name: string; resource: Resource }[] {
    return [...this.#volumes.values()].flatMap(e =>
      e.resource === undefined ? [] : [{ name: e.name, resource: e.resource }],
    );
  }

  /** offer is the offer whose answer the book records. */
  get offer(): OfferRef {
    return this.#offer;
  }

  /** task records the create of a Task launched by operation `index`. */
  task(task: Task, index: number): void {
    this.#steps.push({ task, index });
  }

  /**
   * rejectTask records a Task that only reports TASK_ERROR, from operation `index`. Mesos sends
   * that status without keeping the task, so a later task of the answer may still launch under
   * the same name. The record takes the task's name unless another Task holds it (`taken`, or a
   * task of this answer launched under it); then a stand-in reports it (rejectedStandIn).
   */
  rejectTask(task: Task, index: number, taken: boolean): void {
    this.#rejected.push({ task, index, taken });
  }

  /** standInName is the name of the Task that reports on `task` when its own name is taken. */
  #standInName(task: Task, index: number): string {
    return recordName('RejectedTask', this.#offer, index, task.metadata.name ?? '');
  }

  /** operation records an Operation create (feedback). */
  operation(op: Operation): void {
    this.#operations.push(op);
  }

  #touch(kind: 'reservation' | 'volume', name: string): void {
    if (!this.#steps.some(s => 'kind' in s && s.kind === kind && s.name === name)) {
      this.#steps.push({ kind, name });
    }
  }

  /**
   * changes lists the writes: Operations first (so a rerun finds the feedback of what was done),
   * then the creates in operation order, then the Tasks that only report TASK_ERROR (under the
   * task's name, or a stand-in's when that is taken), and the edits of existing records last.
   * Creates are idempotent by name; an edit is not recomputable once an earlier run made it (a
   * deleted record leaves no trace), so edits come last, where an interrupted run is least likely
   * to have reached them.
   */
  changes(): RecordChange[] {
    const out: RecordChange[] = this.#operations.map(object => ({ action: 'create', object }));
    const edits: RecordChange[] = [];
    const names = new Set<string>();
    for (const s of this.#steps) {
      if ('task' in s) {
        const standIn = this.#standInName(s.task, s.index);
        out.push({ action: 'create', object: s.task, standIn });
        names.add(s.task.metadata.name ?? '');
        continue;
      }
      const changes =
        s.kind === 'reservation' ? this.#reservationChange(s.name) : this.#volumeChange(s.name);
      for (const c of changes) (c.action === 'create' ? out : edits).push(c);
    }
    for (const r of this.#rejected) {
      const taken = r.taken || names.has(r.task.metadata.name ?? '');
      const task = taken ? rejectedStandIn(r.task, this.#standInName(r.task, r.index)) : r.task;
      const name = task.metadata.name ?? '';
      if (names.has(name)) continue;
      names.add(name);
      out.push({ action: 'create', object: task });
    }
    return [...out, ...edits];
  }

  #edit(e: { name: string; resourceVersion?: string }) {
    const base = { name: e.name, origin: this.#where.origin };
    return e.resourceVersion === undefined ? base : { ...base, resourceVersion: e.resourceVersion };
  }

  #reservationChange(name: string): RecordChange[] {
    const e = this.#reservations.get(name);
    if (e === undefined) return [];
    if (e.created) {
      if (e.resources.isEmpty()) return [];
      return [{ action: 'create', object: reservationObject(this.#where, name, e.resources) }];
    }
    if (e.resources.equals(e.original)) return [];
    if (e.resources.isEmpty()) return [{ action: 'delete', kind: 'Reservation', ...this.#edit(e) }];
    const { spec } = reservationObject(this.#where, name, e.resources);
    return [{ action: 'update', kind: 'Reservation', ...this.#edit(e), spec }];
  }

  #volumeChange(name: string): RecordChange[] {
    const e = this.#volumes.get(name);
    if (e === undefined) return [];
    if (e.created) {
      if (e.resource === undefined) return [];
      return [{ action: 'create', object: volumeObject(this.#where, name, e.resource) }];
    }
    if (e.resource === undefined) return [{ action: 'delete', kind: 'Volume', ...this.#edit(e) }];
    if (e.original !== undefined && resourceEqual(e.original, e.resource)) return [];
    const { spec } = volumeObject(this.#where, name, e.resource);
    return [{ action: 'update', kind: 'Volume', ...this.#edit(e), spec }];
  }
}
