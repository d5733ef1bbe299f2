// procfs readers for the ports isolator: listening TCP sockets of a network namespace, the
// processes of a container, and the sockets those processes hold. Every reader treats a process
// that vanished mid-read as having nothing, because containers exit while being polled (the
// false positives of MESOS-9053 came from treating that race as a finding).
import { readdir, readFile, readlink } from 'node:fs/promises';

/** ListeningSocket is one TCP socket in LISTEN state. */
export interface ListeningSocket {
  readonly port: number;
  readonly address: string;
  readonly inode: number;
}

const TCP_LISTEN = '0A';

function hexAddress(hex: string): string {
  if (hex.length === 8) {
    // IPv4 in host (little-endian) byte order.
    const b = [6, 4, 2, 0].map(i => parseInt(hex.slice(i, i + 2), 16));
    return b.join('.');
  }
  // IPv6: four little-endian 32-bit words; enough to tell wildcard and loopback apart.
  const words = [0, 8, 16, 24].map(
    i =>
      hex
        .slice(i, i + 8)
        .match(/../g)
        ?.reverse()
        .join('') ?? '',
  );
  return words.join('').match(/..../g)?.join(':') ?? hex;
}

/**
 * parseProcNetTcp reads the text of `/proc/<pid>/net/tcp` or `tcp6` and returns the sockets in
 * LISTEN state. Malformed lines are skipped (the header has no `:` after the slot number).
 */
export function parseProcNetTcp(text: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    const [slot, local, , state, , , , , , inode] = f;
    if (slot === undefined || !slot.endsWith(':') || state !== TCP_LISTEN) continue;
    const [addr, port] = (local ?? '').split(':');
    if (addr === undefined || port === undefined) continue;
    out.push({ port: parseInt(port, 16), address: hexAddress(addr), inode: Number(inode) });
  }
  return out;
}

function gone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'ENOTDIR';
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (gone(e)) return fallback;
    throw e;
  }
}

/**
 * listeningSockets lists the TCP and TCP6 listeners in the network namespace of `pid` (procfs
 * shows `/proc/<pid>/net` as seen from that process). Empty when the process is gone.
 */
export async function listeningSockets(pid: number, proc = '/proc'): Promise<ListeningSocket[]> {
  const [v4, v6] = await Promise.all([
    readOr(`${proc}/${pid}/net/tcp`, ''),
    readOr(`${proc}/${pid}/net/tcp6`, ''),
  ]);
  return [...parseProcNetTcp(v4), ...parseProcNetTcp(v6)];
}

/** parsePpid reads the parent pid from the text of `/proc/<pid>/stat`. */
export function parsePpid(stat: string): number | undefined {
  // comm (field 2) may hold spaces and parentheses, so count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  return Number.isSafeInteger(ppid) ? ppid : undefined;
}

/**
 * descendants returns `pid` and every process below it, from one scan of procfs. Inside a pid
 * namespace (runc always makes one) orphans re-parent to the container's init, so nothing a
 * container starts escapes this walk.
 */
export async function descendants(pid: number, proc = '/proc'): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir(proc)) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parsePpid(await readOr(`${proc}/${name}/stat`, ''));
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const queue = [pid];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** cgroupMembers reads the pids of a cgroup's `cgroup.procs` file (empty when it is gone). */
export async function cgroupMembers(procsFile: string): Promise<number[]> {
  const text = await readOr(procsFile, '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** socketInodes collects the inodes of every socket the given processes hold open. */
export async function socketInodes(pids: readonly number[], proc = '/proc'): Promise<Set<number>> {
  const out = new Set<number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`${proc}/${pid}/fd`);
    } catch (e) {
      if (gone(e)) continue;
      throw e;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = await readlink(`${proc}/${pid}/fd/${fd}`);
      } catch (e) {
        if (gone(e)) continue;
        throw e;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m !== null) out.add(Number(m[1]));
    }
  }
  return out;
}
