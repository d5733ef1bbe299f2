import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../../../core/resources/index.ts';
import { Resources, renderResource } from '../../../../core/resources/index.ts';
import type { Operation, ResourceItem } from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { applyOperation } from '../../../../agent/operations/apply-operation.ts';
import { PersistentVolumeStore } from '../../../../agent/isolation/volumes-store.ts';
import { dynamicRes, items, res, volume } from '../../controllers/offers/engine/builders.ts';

const OLD = [dynamicRes('databases', 'ops')];
const NEW = [dynamicRes('analytics', 'ops')];
const CHILD = [dynamicRes('databases', 'ops'), dynamicRes('databases/pg', 'ops')];

const on = (stack: typeof OLD, id: string, source?: Resource['disk']): Resource => {
  const v = volume('128', { id, stack });
  return source === undefined ? v : { ...v, disk: { ...v.disk, ...source } };
};

// update is the Operation the reservation controller sends when a reservation with these volumes
// moves from `from` to `to` (plain reserved disk beside them, as on a real reservation).
function update(from: typeof OLD, to: typeof OLD, ids: readonly string[]): Operation {
  const onStack = (stack: typeof OLD) =>
    ids.reduce(
      (rs, id) => rs.add(on(stack, id)),
      stack.reduce((rs, r) => rs.pushReservation(r), res('disk:256')),
    );
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: { name: 'move', namespace: 'corral-system', uid: 'u-move' },
    spec: {
      type: 'RESERVE',
      agent: 'node-1',
      reserve: { source: items(onStack(from)), resources: items(onStack(to)) },
    },
    status: { state: 'OPERATION_PENDING' },
  };
}

const item = (r: Resource): ResourceItem => renderResource(r);

describe('applyOperation: a reservation update moves its volumes’ directories (real fs, temp dir)', () => {
  let workDir: string;
  let store: PersistentVolumeStore;
  let used: Set<string>;
  const signal = new AbortController().signal;
  // a volume is in use when a test says so, by role and id, as volumeInUse tells them apart
  const deps = () => ({
    volumes: store,
    inUse: (v: ResourceItem) =>
      Promise.resolve(
        used.has(`${v.reservations?.at(-1)?.role ?? ''}/${v.disk?.persistence?.id ?? ''}`),
      ),
  });
  const pathOf = (stack: typeof OLD, id: string) => store.pathOf(item(on(stack, id)));
  const exists = (p: string) =>
    stat(p).then(
      () => true,
      () => false,
    );
  async function withData(stack: typeof OLD, id: string, text: string): Promise<string> {
    const dir = pathOf(stack, id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'table'), text);
    return dir;
  }

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'corral-move-volumes-'));
    store = new PersistentVolumeStore(workDir);
    used = new Set();
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('MasterAPITest.ReservationUpdate with volumes: the data is under the new role afterwards, not the old', async () => {
    await withData(OLD, 'pg', 'rows');
    const out = await applyOperation(deps(), update(OLD, NEW, ['pg']), signal);
    expect(out.state, out.message).to.equal('OPERATION_FINISHED');
    expect(out.message).to.equal("persistent volumes now under role 'analytics': 'pg' moved");
    expect(await readFile(join(pathOf(NEW, 'pg'), 'table'), 'utf8')).to.equal('rows');
    expect(await exists(pathOf(OLD, 'pg'))).to.equal(false);
    expect(pathOf(NEW, 'pg')).to.equal(join(workDir, 'volumes', 'roles', 'analytics', 'pg'));
  });

  it('a refinement moves the directory to the child role’s own path (a space for the slash)', async () => {
    await withData(OLD, 'pg', 'rows');
    const out = await applyOperation(deps(), update(OLD, CHILD, ['pg']), signal);
    expect(out.state, out.message).to.equal('OPERATION_FINISHED');
    const dir = join(workDir, 'volumes', 'roles', 'databases pg', 'pg');
    expect(await readFile(join(dir, 'table'), 'utf8')).to.equal('rows');
  });

  it('is idempotent: the same Operation carried out again (an agent restarted before confirming) keeps the data', async () => {
    await withData(OLD, 'pg', 'rows');
    await applyOperation(deps(), update(OLD, NEW, ['pg']), signal);
    const again = await applyOperation(deps(), update(OLD, NEW, ['pg']), signal);
    expect(again.state, again.message).to.equal('OPERATION_FINISHED');
    expect(again.message).to.match(/'pg' already moved/);
    expect(await readFile(join(pathOf(NEW, 'pg'), 'table'), 'utf8')).to.equal('rows');
  });

  it('PersistentVolumeTest (in use): fails with nothing moved while a task uses a volume under its old role', async () => {
    await withData(OLD, 'pg', 'rows');
    used.add('databases/pg');
    const out = await applyOperation(deps(), update(OLD, NEW, ['pg']), signal);
    expect(out).to.deep.equal({
      state: 'OPERATION_FAILED',
      message: "Persistent volumes in use: 'pg'",
    });
    expect(await readFile(join(pathOf(OLD, 'pg'), 'table'), 'utf8')).to.equal('rows');
    expect(await exists(pathOf(NEW, 'pg'))).to.equal(false);
  });

  it('fails with nothing moved while a task of the new role already uses the volume', async () => {
    await withData(OLD, 'pg', 'rows');
    used.add('analytics/pg');
    const out = await applyOperation(deps(), update(OLD, NEW, ['pg']), signal);
    expect(out.state).to.equal('OPERATION_FAILED');
    expect(await exists(pathOf(OLD, 'pg'))).to.equal(true);
  });

  it('never overwrites data at the new path, and moves none of the volumes when one target is taken', async () => {
    await withData(OLD, 'a', 'mine-a');
    await withData(OLD, 'b', 'mine-b');
    await withData(NEW, 'b', 'theirs');
    const out = await applyOperation(deps(), update(OLD, NEW, ['a', 'b']), signal);
    expect(out.state).to.equal('OPERATION_FAILED');
    expect(out.message).to.match(/'b' cannot move .* holds data/);
    expect(await readFile(join(pathOf(OLD, 'a'), 'table'), 'utf8')).to.equal('mine-a');
    expect(await readFile(join(pathOf(OLD, 'b'), 'table'), 'utf8')).to.equal('mine-b');
    expect(await readFile(join(pathOf(NEW, 'b'), 'table'), 'utf8')).to.equal('theirs');
    expect(await exists(pathOf(NEW, 'a'))).to.equal(false);
  });

  it('leaves a MOUNT disk’s volume where it is: its mount root holds it under any role', async () => {
    const root = join(workDir, 'mnt', 'disk1');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'table'), 'rows');
    const mount = { source: { type: 'MOUNT' as const, root } };
    const vol = (stack: typeof OLD) => on(stack, 'm', mount);
    const op = update(OLD, NEW, []);
    op.spec.reserve = {
      source: items(Resources.of(vol(OLD))),
      resources: items(Resources.of(vol(NEW))),
    };
    const out = await applyOperation(deps(), op, signal);
    expect(out.state, out.message).to.equal('OPERATION_FINISHED');
    expect(out.message).to.match(/'m' stays where it is/);
    expect(await readFile(join(root, 'table'), 'utf8')).to.equal('rows');
  });

  it('a RESERVE without a source, or a reservation update without volumes, touches nothing', async () => {
    const dir = await withData(OLD, 'pg', 'rows');
    const plain = update(OLD, NEW, []);
    expect((await applyOperation(deps(), plain, signal)).message).to.equal(
      'reservation update: no persistent volumes to move',
    );
    const legacy = update(OLD, NEW, ['pg']);
    legacy.spec.reserve = { resources: legacy.spec.reserve?.resources ?? [] };
    expect(await applyOperation(deps(), legacy, signal)).to.deep.equal({
      state: 'OPERATION_FINISHED',
      message: 'reservations need no work on the agent',
    });
    expect(await readFile(join(dir, 'table'), 'utf8')).to.equal('rows');
  });

  it('an agent without volume directories (hollow: no pathOf) finishes it with nothing to move', async () => {
    const hollow = {
      volumes: { create: () => Promise.resolve([]), destroy: () => Promise.resolve(true) },
      inUse: () => Promise.resolve(false),
    };
    const out = await applyOperation(hollow, update(OLD, NEW, ['pg']), signal);
    expect(out).to.deep.equal({
      state: 'OPERATION_FINISHED',
      message: 'this agent keeps no volume directories to move',
    });
  });
});
