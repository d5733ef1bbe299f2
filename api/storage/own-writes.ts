// The objects this server is writing, kept by a watch cache until their etcd events arrive, so
// the cache need not parse back what it has just written.
import type { IKeyValue } from 'etcd3';
import type { KubeObject } from '../../core/types/meta.ts';
import type { StoredText } from './etcd-txn.ts';
import type { Rendered, Stored } from './types.ts';

/**
 * NotedWrite is a write about to be sent: the key, the value's text, the object decoding it
 * gives, and how to render that object as served at a revision, when the writer can.
 */
export interface NotedWrite {
  readonly key: string;
  readonly value: StoredText;
  readonly object: KubeObject;
  readonly served?: (rv: string) => Rendered;
}

/** Note is one write in flight noted for a cache; forget takes it back (the write failed). */
export interface Note {
  forget(): void;
}

// Pending is a noted write: the text sent to etcd, the object decoding it would give
// (a private copy, or an object its writer gave up; see json-copy.ts), and when the writer has
// it, how to render that object as served at a revision.
class Pending implements Note {
  readonly owner: OwnWrites;
  readonly key: string;
  readonly value: StoredText;
  readonly object: KubeObject;
  readonly served: ((rv: string) => Rendered) | undefined;

  constructor(owner: OwnWrites, w: NotedWrite) {
    this.owner = owner;
    this.key = w.key;
    this.value = w.value;
    this.object = w.object;
    this.served = w.served;
  }

  forget(): void {
    this.owner.remove(this);
  }

  // wrote tells whether value is the text this write sent. Equal text is what matters, not equal
  // bytes: an event is decoded from its value as UTF-8 text (decodeKv), so equal text decodes
  // to an equal object; the length check skips most other values without decoding them.
  wrote(value: Buffer, text: () => string): boolean {
    return value.length === this.value.bytes && text() === this.value.text;
  }
}

/**
 * OwnWrites holds, per key, the writes in flight through this server whose events a watch
 * cache will see. An event takes the entry whose text equals its value's: equal text decodes to
 * an equal object, so the entry stands in for the decode whoever wrote the event (this server,
 * or another replica that happened to write the same text). An event with other text, from
 * another replica or an older write, is decoded as before. The writer forgets its entry when
 * its write fails or its outcome is unknown; a write that did land is then decoded.
 */
export class OwnWrites {
  readonly #byKey = new Map<string, Pending | Pending[]>();
  #size = 0;
  #used = 0;

  /** used counts the events that took an entry instead of being decoded. */
  get used(): number {
    return this.#used;
  }

  /** size counts the entries held (tests check that nothing is left behind). */
  get size(): number {
    return this.#size;
  }

  /** add records a write about to be sent (its object the cache's own, see NotedWrite). */
  add(write: NotedWrite): Note {
    const key = write.key;
    const entry = new Pending(this, write);
    const held = this.#byKey.get(key);
    // one write of a key in flight is the common case: no list for it
    if (held === undefined) this.#byKey.set(key, entry);
    else if (Array.isArray(held)) held.push(entry);
    else this.#byKey.set(key, [held, entry]);
    this.#size += 1;
    return entry;
  }

  /**
   * take returns the object an etcd put event carries, with its resourceVersion, if this server
   * wrote that text to that key, and its JSON as served when the writer could render it; the
   * entry is used up. Undefined: decode the event.
   */
  take(key: string, kv: IKeyValue): { stored: Stored; rendered: Rendered | undefined } | undefined {
    const held = this.#byKey.get(key);
    if (held === undefined) return undefined;
    let text: string | undefined;
    const valueText = (): string => (text ??= kv.value.toString());
    const found = Array.isArray(held)
      ? held.find(p => p.wrote(kv.value, valueText))
      : held.wrote(kv.value, valueText)
        ? held
        : undefined;
    if (found === undefined) return undefined;
    this.remove(found);
    this.#used += 1;
    const object = found.object;
    // nobody else changes the object (a private copy, or given up by its writer), so it takes
    // its resourceVersion in place, as decodeKv sets it on a fresh parse (last in metadata)
    object.metadata.resourceVersion = kv.mod_revision;
    const rendered = found.served?.(kv.mod_revision);
    return { stored: { key, object, rv: kv.mod_revision }, rendered };
  }

  /** remove forgets an entry (Note.forget); a second call does nothing. */
  remove(entry: Pending): void {
    const held = this.#byKey.get(entry.key);
    if (held === entry) {
      this.#byKey.delete(entry.key);
      this.#size -= 1;
      return;
    }
    if (!Array.isArray(held)) return;
    const i = held.indexOf(entry);
    if (i < 0) return;
    held.splice(i, 1);
    this.#size -= 1;
    if (held.length === 1 && held[0] !== undefined) this.#byKey.set(entry.key, held[0]);
  }
}
