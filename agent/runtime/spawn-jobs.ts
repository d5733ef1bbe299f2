// What a spawn helper does for each request (spawn-protocol.ts): run a binary to completion, or
// start a detached daemon and read its first report from fd 3. Also used in-line when no helper
// can be started. A reply is always resolved, never rejected: failures are FailedReply.
import { execFile, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { assertNever } from '../../core/util/assert-never.ts';
import type { DetachedRequest, RunRequest, SpawnReply, SpawnRequest } from './spawn-protocol.ts';

const MAX_BUFFER = 16 << 20;

function run(r: RunRequest): Promise<SpawnReply> {
  return new Promise(resolve => {
    execFile(
      r.bin,
      [...r.args],
      { timeout: r.timeoutMs, maxBuffer: MAX_BUFFER, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ kind: 'run', code: 0, stdout, stderr });
          return;
        }
        const code = (err as { code?: unknown }).code;
        // a string code (ENOENT, EACCES) means the binary never ran
        if (typeof code === 'string') {
          resolve({ kind: 'failed', message: `cannot run ${r.bin}: ${err.message}` });
          return;
        }
        resolve({ kind: 'run', code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

// The timer is a real one, as execFile's `timeout` is: it bounds a host process, not logic.
function detached(r: DetachedRequest): Promise<SpawnReply> {
  return new Promise(resolve => {
    const child = spawn(r.bin, [...r.args], {
      cwd: r.cwd,
      // fd 3 is the report pipe; the daemon's stderr only matters before it detaches
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...r.env },
      detached: true,
    });
    const errStream = child.stdio[2] as Readable;
    const report = child.stdio[3] as Readable;
    let stderr = '';
    let buf = '';
    let settled = false;
    const finish = (reply: SpawnReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      report.destroy();
      errStream.destroy();
      child.unref();
      resolve(reply);
    };
    const timer = setTimeout(
      () => finish({ kind: 'failed', message: `no answer from ${r.bin} in ${r.timeoutMs} ms` }),
      r.timeoutMs,
    );
    errStream.setEncoding('utf8');
    errStream.on('data', (c: string) => (stderr += c));
    errStream.on('error', () => undefined);
    report.setEncoding('utf8');
    report.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish({ kind: 'detached', line: buf.slice(0, nl), stderr });
    });
    report.on('end', () => finish({ kind: 'detached', line: buf, stderr }));
    report.on('error', (e: Error) => finish({ kind: 'failed', message: e.message }));
    child.once('error', (e: Error) =>
      finish({ kind: 'failed', message: `cannot run ${r.bin}: ${e.message}` }),
    );
  });
}

/** runJob carries out one request. */
export async function runJob(req: SpawnRequest): Promise<SpawnReply> {
  try {
    switch (req.kind) {
      case 'run':
        return await run(req);
      case 'detached':
        return await detached(req);
      default:
        return assertNever(req, 'spawn request');
    }
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}
