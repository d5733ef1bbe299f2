import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moveDir, planDirMove } from '../../../../agent/operations/volume-dir-move.ts';

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('moving a volume directory to its new role (real fs, temp dir)', () => {
  let root: string;
  let from: string;
  let to: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'corral-dir-move-'));
    from = join(root, 'volumes', 'roles', 'old', 'pg');
    to = join(root, 'volumes', 'roles', 'new', 'pg');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function withData(dir: string, text: string): Promise<void> {
    await mkdir(join(dir, 'base'), { recursive: true });
    await writeFile(join(dir, 'base', 'table'), text);
  }

  it('moves the data to the new path (parents made) and leaves nothing at the old one', async () => {
    await withData(from, 'rows');
    expect(await moveDir({ from, to })).to.equal('move');
    expect(await readFile(join(to, 'base', 'table'), 'utf8')).to.equal('rows');
    expect(await exists(from)).to.equal(false);
  });

  it('is idempotent: a replay after the move finds it done and touches nothing', async () => {
    await withData(from, 'rows');
    await moveDir({ from, to });
    expect(await planDirMove({ from, to })).to.equal('already');
    expect(await moveDir({ from, to })).to.equal('already');
    expect(await readFile(join(to, 'base', 'table'), 'utf8')).to.equal('rows');
    expect(await exists(from)).to.equal(false);
  });

  it('never overwrites a target that holds data: both directories stay as they were', async () => {
    await withData(from, 'mine');
    await withData(to, 'theirs');
    expect(await planDirMove({ from, to })).to.equal('occupied');
    expect(await moveDir({ from, to })).to.equal('occupied');
    expect(await readFile(join(from, 'base', 'table'), 'utf8')).to.equal('mine');
    expect(await readFile(join(to, 'base', 'table'), 'utf8')).to.equal('theirs');
  });

  it('replaces an empty target (one a task made on demand) with the data, in one rename', async () => {
    await withData(from, 'rows');
    await mkdir(to, { recursive: true });
    expect(await moveDir({ from, to })).to.equal('move');
    expect(await readdir(to)).to.deep.equal(['base']);
    expect(await exists(from)).to.equal(false);
  });

  it('makes an empty target when the volume never had a directory', async () => {
    expect(await moveDir({ from, to })).to.equal('make');
    expect((await stat(to)).isDirectory()).to.equal(true);
    expect(await readdir(to)).to.deep.equal([]);
  });

  it('does nothing when both paths are one (a MOUNT disk’s root, or the same role)', async () => {
    await withData(from, 'rows');
    expect(await moveDir({ from, to: from })).to.equal('same');
    expect(await readFile(join(from, 'base', 'table'), 'utf8')).to.equal('rows');
  });
});
