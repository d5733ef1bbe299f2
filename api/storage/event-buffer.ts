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

interface Entry {
  readonly event: WatchEvent;
  readonly rev: bigint;
  readonly at: number;
}

/**
 * EventBuffer is the watch cache's window of recent events, oldest first, so a watch can resume
 * from any revision inside it. Events beyond `capacity` are evicted once older than
 * `retentionMs` (kube keeps at least 75 s; we aim for 5 min), and always beyond `maxCapacity`.
 */
export class EventBuffer {
  private readonly limits: EventBufferLimits;
  private readonly clock: Clock;
  // a plain array with a moving head: amortised O(1) eviction without a fixed-size ring
  private entries: Entry[] = [];
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
    return this.entries.length - this.head;
  }

  /** oldestResumable is the lowest revision a watch may resume from. */
  get oldestResumable(): bigint {
    return this.floor;
  }

  /** push appends an event (revisions never decrease) and evicts what the limits allow. */
  push(event: WatchEvent, rev: bigint): void {
    const now = this.clock.now();
    this.entries.push({ event, rev, at: now });
    const { capacity, retentionMs, maxCapacity } = this.limits;
    while (this.size > capacity) {
      const oldest = this.entries[this.head];
      if (oldest === undefined) break;
      if (this.size <= maxCapacity && now - oldest.at < retentionMs) break;
      this.floor = oldest.rev;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
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
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid];
      if (e !== undefined && e.rev <= rev) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo).map(e => e.event);
  }
}
