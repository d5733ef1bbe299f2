import type { Clock } from '../../core/util/clock.ts';
import type { WatchEvent } from './types.ts';

/** EventBufferLimits bound how much history one resource's watch cache keeps. */
export interface EventBufferLimits {
  /** capacity is the number of events kept regardless of age. */
  readonly capacity: number;
  /** retentionMs keeps younger events beyond capacity, so a burst does not shrink the window... */
  readonly retentionMs: number;
  /** maxCapacity ...up to this hard limit on memory. */
  readonly maxCapacity: number;
}

/**
 * EventBuffer is the watch cache's window of recent events, oldest first, so a watch can resume
 * from any revision inside it. Events beyond `capacity` are evicted once older than
 * `retentionMs` (kube keeps at least 75 s; we aim for 5 min), and always beyond `maxCapacity`.
 * The window holds every event of a busy resource for minutes, so it keeps them in three
 * parallel arrays (event, revision, time) rather than an object per event: fewer objects for
 * the garbage collector to copy and mark. Revisions are kept as numbers (exact below 2^53,
 * centuries of writes away, as etcd3 keeps watch start revisions).
 */
export class EventBuffer {
  private readonly limits: EventBufferLimits;
  private readonly clock: Clock;
  // plain arrays with a moving head: amortised O(1) eviction without a fixed-size ring
  private events: WatchEvent[] = [];
  private revs: number[] = [];
  private ats: number[] = [];
  private head = 0;
  // every event with a revision above floor is retained
  private floor: bigint;

  constructor(limits: EventBufferLimits, clock: Clock, startRev: bigint) {
    this.limits = limits;
    this.clock = clock;
    this.floor = startRev;
  }

  /** size is the number of retained events. */
  get size(): number {
    return this.events.length - this.head;
  }

  /** oldestResumable is the lowest revision a watch may resume from. */
  get oldestResumable(): bigint {
    return this.floor;
  }

  /** push appends an event (revisions never decrease) and evicts what the limits allow. */
  push(event: WatchEvent, rev: bigint): void {
    const now = this.clock.now();
    this.events.push(event);
    this.revs.push(Number(rev));
    this.ats.push(now);
    const { capacity, retentionMs, maxCapacity } = this.limits;
    while (this.size > capacity) {
      const at = this.ats[this.head];
      if (at === undefined) break;
      if (this.size <= maxCapacity && now - at < retentionMs) break;
      this.floor = BigInt(this.revs[this.head] as number);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.revs = this.revs.slice(this.head);
      this.ats = this.ats.slice(this.head);
      this.head = 0;
    }
  }

  /** covers is true when every event after rev is retained, i.e. a watch can resume from it. */
  covers(rev: bigint): boolean {
    return rev >= this.floor;
  }

  /** after lists the retained events with a revision above rev, oldest first. */
  after(rev: bigint): WatchEvent[] {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.revs[mid];
      if (r !== undefined && BigInt(r) <= rev) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }
}
