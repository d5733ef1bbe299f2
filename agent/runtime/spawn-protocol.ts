// The messages between the agent and its spawn helpers (spawner.ts ↔ spawn-helper.ts): plain
// JSON data, one request and one reply per id.

/** RunRequest runs a binary to completion and returns what it said (runCommand). */
export interface RunRequest {
  readonly kind: 'run';
  readonly bin: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

/**
 * DetachedRequest starts a daemon that reports on fd 3 (conmon's sync pipe): the reply carries
 * the first line written there (empty when the pipe closed first) and what the process wrote to
 * stderr meanwhile; the process itself is left to run, detached in its own session.
 */
export interface DetachedRequest {
  readonly kind: 'detached';
  readonly bin: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** SpawnRequest is one job for a helper. */
export type SpawnRequest = RunRequest | DetachedRequest;

/** RunReply: `code` null means killed by a signal or the timeout. */
export interface RunReply {
  readonly kind: 'run';
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** DetachedReply is the first line of fd 3 and the stderr seen until then. */
export interface DetachedReply {
  readonly kind: 'detached';
  readonly line: string;
  readonly stderr: string;
}

/** FailedReply: the binary could not be started at all (ENOENT, EACCES) or the job failed. */
export interface FailedReply {
  readonly kind: 'failed';
  readonly message: string;
}

/** SpawnReply answers one SpawnRequest. */
export type SpawnReply = RunReply | DetachedReply | FailedReply;

/** Envelope carries a request or reply with the id that pairs them. */
export interface Envelope<T> {
  readonly id: number;
  readonly body: T;
}
