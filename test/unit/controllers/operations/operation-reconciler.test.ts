import { expect } from 'chai';
import type { Agent, Operation, OperationState } from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { NO_FEEDBACK_LABEL } from '../../../../core/framework/index.ts';
import { ORIGIN_ANNOTATION } from '../../../../controllers/offers/engine/index.ts';
import { OperationReconciler } from '../../../../controllers/operations/operation-reconciler.ts';
import { ACKNOWLEDGED_ANNOTATION } from '../../../../controllers/operations/operation-states.ts';
import { items, reserved } from '../offers/engine/builders.ts';
import type { World } from '../offers/world.ts';
import { AGENT, FW, NS, agentObject, frameworkObject, newWorld, silent } from '../offers/world.ts';

const signal = new AbortController().signal;
const RETENTION = 15 * 60_000;
const GRACE = 10_000;

function setup(): { w: World; r: OperationReconciler } {
  const w = newWorld();
  w.cluster.agents.put(agentObject({ cpus: '4' }));
  w.cluster.frameworks.put(frameworkObject());
  const r = new OperationReconciler({
    operations: w.cluster.operations.cache,
    agents: w.cluster.agents.cache,
    frameworks: w.cluster.frameworks.cache,
    api: w.cluster.operations,
    clock: w.clock,
    logger: silent,
    retentionMs: RETENTION,
    confirmGraceMs: GRACE,
  });
  return { w, r };
}

function operation(
  w: World,
  type: 'RESERVE' | 'CREATE',
  state: OperationState | undefined,
  name = 'op1',
): Operation {
  const at = new Date(w.clock.now()).toISOString();
  const payload =
    type === 'RESERVE'
      ? { reserve: { resources: items(reserved('cpus:1')) } }
      : { create: { volumes: [] } };
  return w.cluster.operations.put({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: { name, namespace: NS, annotations: { [ORIGIN_ANNOTATION]: 'offer-uid' } },
    spec: { type, agent: AGENT, framework: FW, ...payload },
    ...(state === undefined ? {} : { status: { state, lastTransitionTime: at } }),
  });
}

const op = (w: World, name = 'op1') => w.cluster.operations.peek({ namespace: NS, name });
const pass = (r: OperationReconciler, name = 'op1') => r.reconcile({ namespace: NS, name }, signal);

function markAgent(w: World, change: (a: Agent) => void): void {
  const a = structuredClone(w.cluster.agents.peek({ name: AGENT })) as Agent;
  change(a);
  w.cluster.agents.put(a);
}

describe('operation controller (mesos-features §4)', () => {
  it('MasterAPITest.OperationUpdatesUponUnreachable: pending operations become OPERATION_UNREACHABLE, and PENDING again when the agent is back', async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', 'OPERATION_PENDING');
    markAgent(w, a => {
      a.status = {
        conditions: [
          {
            type: 'Unreachable',
            status: 'True',
            reason: 'x',
            lastTransitionTime: '2025-01-01T00:00:00Z',
          },
        ],
      };
    });
    await pass(r);
    expect(op(w)?.status?.state).to.equal('OPERATION_UNREACHABLE');
    expect(op(w)?.status?.message).to.match(/agent agent-1 is unreachable/);
    markAgent(w, a => {
      a.status = { conditions: [] };
    });
    await pass(r);
    expect(op(w)?.status?.state).to.equal('OPERATION_PENDING');
  });

  it('MasterAPITest.OperationUpdatesUponAgentGone: pending and unreachable operations become OPERATION_GONE_BY_OPERATOR', async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', 'OPERATION_PENDING', 'a');
    operation(w, 'CREATE', 'OPERATION_UNREACHABLE', 'b');
    operation(w, 'CREATE', 'OPERATION_FINISHED', 'c');
    markAgent(w, a => {
      a.spec.gone = true;
    });
    for (const n of ['a', 'b', 'c']) await pass(r, n);
    expect(op(w, 'a')?.status?.state).to.equal('OPERATION_GONE_BY_OPERATOR');
    expect(op(w, 'b')?.status?.state).to.equal('OPERATION_GONE_BY_OPERATOR');
    expect(op(w, 'c')?.status?.state, 'terminal states never change').to.equal(
      'OPERATION_FINISHED',
    );
  });

  it('a RESERVE the agent does not confirm within the grace is finished here, with its converted resources', async () => {
    const { w, r } = setup();
    operation(w, 'RESERVE', 'OPERATION_PENDING');
    const wait = await pass(r);
    expect(wait.requeueAfterMs).to.equal(GRACE);
    expect(op(w)?.status?.state).to.equal('OPERATION_PENDING');
    await w.clock.advance(GRACE);
    await pass(r);
    expect(op(w)?.status?.state).to.equal('OPERATION_FINISHED');
    expect(op(w)?.status?.convertedResources).to.deep.equal(items(reserved('cpus:1')));
  });

  it('a CREATE waits for the agent however long it takes (the agent makes the directories)', async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', 'OPERATION_PENDING');
    await w.clock.advance(10 * GRACE);
    await pass(r);
    expect(op(w)?.status?.state).to.equal('OPERATION_PENDING');
  });

  it('AgentOperationFeedbackTest.CleanupAcknowledgedTerminalOperation: an acknowledged terminal operation is deleted after the retention', async () => {
    const { w, r } = setup();
    const o = operation(w, 'CREATE', 'OPERATION_FINISHED');
    expect((await pass(r)).requeueAfterMs, 'not acknowledged: kept').to.equal(undefined);
    o.metadata.annotations = { ...o.metadata.annotations, [ACKNOWLEDGED_ANNOTATION]: 'true' };
    w.cluster.operations.put(o);
    expect((await pass(r)).requeueAfterMs).to.equal(RETENTION);
    await w.clock.advance(RETENTION);
    await pass(r);
    expect(op(w)).to.equal(undefined);
  });

  it('OPERATION_ERROR carries no uuid in Mesos, so nobody acknowledges it: collected after the retention', async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', 'OPERATION_ERROR');
    await w.clock.advance(RETENTION);
    await pass(r);
    expect(op(w)).to.equal(undefined);
  });

  it('an operation accepted without an id gives no feedback, so nobody acknowledges it: collected after the retention once the agent finished it', async () => {
    const { w, r } = setup();
    const o = operation(w, 'CREATE', 'OPERATION_PENDING');
    o.metadata.labels = { [NO_FEEDBACK_LABEL]: 'true' };
    w.cluster.operations.put(o);
    expect((await pass(r)).requeueAfterMs, 'pending: the agent has yet to apply it').to.equal(
      undefined,
    );
    expect(op(w)?.status?.state).to.equal('OPERATION_PENDING');
    const finished = structuredClone(op(w)) as Operation;
    finished.status = {
      state: 'OPERATION_FINISHED',
      lastTransitionTime: new Date(w.clock.now()).toISOString(),
    };
    w.cluster.operations.put(finished);
    expect((await pass(r)).requeueAfterMs).to.equal(RETENTION);
    await w.clock.advance(RETENTION);
    await pass(r);
    expect(op(w)).to.equal(undefined);
  });

  it("StorageLocalResourceProviderTest.FrameworkTeardownBeforeTerminalOperationStatusUpdate: a gone framework's terminal operations are collected", async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', 'OPERATION_FINISHED');
    await w.cluster.frameworks.delete({ namespace: NS, name: FW });
    await w.clock.advance(RETENTION);
    await pass(r);
    expect(op(w)).to.equal(undefined);
  });

  it('an Operation nobody planned is refused with OPERATION_ERROR', async () => {
    const { w, r } = setup();
    const o = operation(w, 'CREATE', undefined);
    o.metadata.annotations = {};
    w.cluster.operations.put(o);
    await pass(r);
    expect(op(w)?.status?.state).to.equal('OPERATION_ERROR');
  });

  it('an Operation whose first status the offer controller has yet to write is left to it', async () => {
    const { w, r } = setup();
    operation(w, 'CREATE', undefined);
    await pass(r);
    expect(op(w)?.status).to.equal(undefined);
  });
});
