import type { ResourceRequest } from './context.ts';
import { readOrThrow } from './context.ts';
import { sendObject } from './render.ts';

/** get answers GET on one object (also its /status, which returns the whole object). */
export async function get(r: ResourceRequest): Promise<void> {
  const stored = await readOrThrow(r);
  sendObject(r, 200, stored.object);
}
