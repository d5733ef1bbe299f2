// Decoding of a watch response: one JSON event per line, bare newlines as heartbeats (section 7
// of reference/k8s-api.md). An ERROR event ends the stream as a ClientError (410 → isGone).
import type { Status } from '../errors/index.ts';
import type { KubeObject } from '../types/meta.ts';
import { ClientError, statusError } from './errors.ts';

/**
 * WatchEvent is one change of a watched collection. A BOOKMARK only moves the resourceVersion
 * forward; DELETED carries the object's last state.
 */
export type WatchEvent<T extends KubeObject> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

interface RawEvent {
  readonly type?: unknown;
  readonly object?: unknown;
}

function decode<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch (e) {
    throw new ClientError({
      reason: 'Unknown',
      code: 200,
      message: `undecodable watch event: ${(e as Error).message}`,
    });
  }
  const obj = raw.object as KubeObject | undefined;
  switch (raw.type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return { type: raw.type, object: obj as T };
    case 'BOOKMARK':
      return { type: 'BOOKMARK', resourceVersion: obj?.metadata.resourceVersion ?? '' };
    case 'ERROR':
      throw statusError(raw.object as Status);
    default:
      // kube may add event types; a client that does not know one skips it, as client-go does
      return undefined;
  }
}

/**
 * readWatchEvents yields the events of a watch body (a node:http response or any stream of
 * chunks) until the server closes it. Stopping the iteration early ends the body's iteration,
 * which destroys the response and so releases its connection.
 */
export async function* readWatchEvents<T extends KubeObject>(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      const ev = line === '' ? undefined : decode<T>(line);
      if (ev !== undefined) yield ev;
      nl = buffered.indexOf('\n');
    }
  }
  const rest = (buffered + decoder.decode()).trim();
  const last = rest === '' ? undefined : decode<T>(rest);
  if (last !== undefined) yield last;
}
