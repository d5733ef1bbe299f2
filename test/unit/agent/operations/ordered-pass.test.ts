import { expect } from 'chai';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderResource } from '../../../../core/resources/index.ts';
import type { Operation, OperationSpec } from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { applyOperation } from '../../../../agent/operations/apply-operation.ts';
import { byCreation, inCreationOrder } from '../../../../agent/operations/operation-order.ts';
import { OrderedPass } from '../../../../agent/operations/ordered-pass.ts';
import { PersistentVolumeStore } from '../../../../agent/isolation/volumes-store.ts';
import { volume } from '../../controllers/offers/engine/builders.ts';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:01Z';

function op(name: string, created: string, rv: string, spec?: Partial<OperationSpec>): Operation {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: {
      name,
      namespace: 'corral-system',
      uid: `uid-${name}`,
      creationTimestamp: created,
      resourceVersion: rv,
    },
    spec: { type: 'RESERVE', agent: 'node-1', ...spec },
    status: { state: 'OPERATION_PENDING' },
  };
}

describe('the order an agent carries out its Operations in', () => {
  const cases: [string, Operation, Operation][] = [
    ['the one created in an earlier second', op('b', T0, '50'), op('a', T1, '7')],
    [
      'within a second, the lower resourceVersion, as a number',
      op('b', T0, '9'),
      op('a', T0, '10'),
    ],
    ['with both equal, the name', op('a', T0, '9'), op('b', T0, '9')],
  ];
  for (const [name, first, second] of cases) {
    it(`puts first ${name}`, () => {
      expect(byCreation(first, second)).to.be.below(0);
      expect(byCreation(second, first)).to.be.above(0);
      expect(inCreationOrder([second, first]).map(o => o.metadata.name)).to.deep.equal([
        first.metadata.name,
        second.metadata.name,
      ]);
    });
  }
});

describe('OrderedPass: pending Operations after an agent restart (real fs, temp dir)', () => {
  let workDir: string;
  let store: PersistentVolumeStore;
  const signal = new AbortController().signal;
  const VOL = renderResource(volume('128', { id: 'pg' }));

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'corral-ordered-pass-'));
    store = new PersistentVolumeStore(workDir);
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  // A store of records the way the informer lists them (by name), confirmations as the API
  // server would answer them (the status written, the resourceVersion moved on).
  function cluster(records: Operation[]) {
    let rv = 100;
    const done: string[] = [];
    const byName = () =>
      [...records].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const confirm = async (o: Operation, s: AbortSignal): Promise<Operation> => {
      const outcome = await applyOperation(
        { volumes: store, inUse: () => Promise.resolve(false) },
        o,
        s,
      );
      done.push(`${o.spec.type} ${outcome.state}`);
      rv = Math.max(rv, Number(o.metadata.resourceVersion));
      return {
        ...o,
        metadata: { ...o.metadata, resourceVersion: String(++rv) },
        status: { ...o.status, ...outcome },
      };
    };
    return { list: byName, confirm, done };
  }

  it('a CREATE and a later DESTROY of one volume pending across a restart run in creation order, not name order', async () => {
    // listed by name, the DESTROY comes first: carried out in that order, the CREATE would
    // leave a directory behind that the operator destroyed
    const create = op('z-create', T0, '9', { type: 'CREATE', create: { volumes: [VOL] } });
    const destroy = op('a-destroy', T0, '10', { type: 'DESTROY', destroy: { volumes: [VOL] } });
    const c = cluster([create, destroy]);
    // the watch has not caught up: the list still shows both open after each confirmation
    await new OrderedPass({ list: c.list, confirm: c.confirm }).run(signal);
    expect(c.done).to.deep.equal(['CREATE OPERATION_FINISHED', 'DESTROY OPERATION_FINISHED']);
    const dir = store.pathOf(VOL);
    const gone = await stat(dir).then(
      () => false,
      () => true,
    );
    expect(gone, `${dir} left behind`).to.equal(true);
  });

  it('carries out an Operation once while the list shows its old open copy, and again only if a newer copy is open', async () => {
    const records = [op('one', T0, '9')];
    const c = cluster(records);
    const pass = new OrderedPass({ list: c.list, confirm: c.confirm });
    await pass.run(signal);
    await pass.run(signal);
    expect(c.done).to.have.length(1);
    // the copy the watch delivers for an older state changes nothing
    pass.seen(records[0] as Operation);
    await pass.run(signal);
    expect(c.done).to.have.length(1);
    // the operation controller made it PENDING again (agent back from Unreachable): a newer copy
    records[0] = {
      ...(records[0] as Operation),
      metadata: { ...records[0]?.metadata, resourceVersion: '200' },
    };
    pass.seen(records[0]);
    await pass.run(signal);
    expect(c.done).to.have.length(2);
  });
});
