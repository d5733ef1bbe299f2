// Moving one persistent volume's directory from its old role's path to its new role's
// (`volumes/roles/<old>/<id>` → `volumes/roles/<new>/<id>`), for a reservation update. One
// rename(2), so the data is at exactly one of the two paths at any instant. Safe to replay: an
// agent killed after the rename and before it confirmed finds the source gone and the target
// there, which is the move done. Data is never overwritten: rename(2) replaces only an empty
// directory (a task launched meanwhile may have made one on demand) and fails on a non-empty one.
// (Mesos's agent diffs its checkpointed volume paths instead, creating the new path and deleting
// the old one, which loses the data; Corral keeps it, as its reservation update promises.)
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertNever } from '../../core/util/assert-never.ts';

/**
 * DirMovePlan is what moving `from` to `to` will do: nothing (`same` path, as for a MOUNT disk
 * whose mount root holds the volume whatever its role), `move` it, nothing again (`already`
 * moved), `make` an empty target (nothing at either path: the volume never had a directory), or
 * nothing because the target holds data of its own (`occupied`).
 */
export type DirMovePlan = 'same' | 'move' | 'already' | 'make' | 'occupied';

/** DirMove is one volume's source and target directories. */
export interface DirMove {
  readonly from: string;
  readonly to: string;
}

const MODE = 0o750;

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw e;
  }
}

async function isEmptyDir(path: string): Promise<boolean> {
  return (await readdir(path)).length === 0;
}

/** planDirMove looks at both paths and tells what moveDir would do now; it changes nothing. */
export async function planDirMove(m: DirMove): Promise<DirMovePlan> {
  if (m.from === m.to) return 'same';
  const source = await isDir(m.from);
  const target = await isDir(m.to);
  if (!source) return target ? 'already' : 'make';
  if (target && !(await isEmptyDir(m.to))) return 'occupied';
  return 'move';
}

const occupiedCodes = new Set(['ENOTEMPTY', 'EEXIST']);

/**
 * moveDir carries out the plan as it stands when called and returns what it did; `occupied`
 * when the target holds data, then nothing was touched. Other fs failures (EXDEV, EACCES) throw.
 */
export async function moveDir(m: DirMove, again = true): Promise<DirMovePlan> {
  const plan = await planDirMove(m);
  switch (plan) {
    case 'same':
    case 'already':
    case 'occupied':
      return plan;
    case 'make':
      await mkdir(m.to, { recursive: true, mode: MODE });
      return plan;
    case 'move':
      await mkdir(dirname(m.to), { recursive: true, mode: MODE });
      try {
        // replaces an empty target atomically; refuses a non-empty one (the check above raced)
        await rename(m.from, m.to);
      } catch (e) {
        if (occupiedCodes.has((e as NodeJS.ErrnoException).code ?? '')) return 'occupied';
        // the source went between the look and the rename: whoever moved it, look again
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && again) return moveDir(m, false);
        throw e;
      }
      return plan;
    default:
      return assertNever(plan, 'directory move plan');
  }
}
