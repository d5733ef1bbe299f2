import { expect } from 'chai';
import { pino } from 'pino';
import type { ReadonlyCache, ResourceClient } from '../../../core/client/index.ts';
import { Client, corralKinds } from '../../../core/client/index.ts';
import type { Role } from '../../../core/types/index.ts';
import type { Clock } from '../../../core/util/clock.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { Controller } from '../../../controllers/runtime/controller.ts';
import { Manager } from '../../../controllers/runtime/manager.ts';
import type { Reconciler, Request, Result } from '../../../controllers/runtime/reconciler.ts';
import { done } from '../../../controllers/runtime/reconciler.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

const CONDITION = 'WeightMirrored';

/** WeightMirror (test only) copies a Role's spec.weight into a status condition. */
class WeightMirror implements Reconciler {
  passes = 0;
  finished = 0;
  writes = 0;
  cache: ReadonlyCache<Role> | undefined;
  private readonly roles: ResourceClient<Role>;
  private readonly clock: Clock;

  constructor(roles: ResourceClient<Role>, clock: Clock) {
    this.roles = roles;
    this.clock = clock;
  }

  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    this.passes += 1;
    try {
      return await this.mirror(req, signal);
    } finally {
      this.finished += 1;
    }
  }

  private async mirror(req: Request, signal: AbortSignal): Promise<Result> {
    const role = this.cache?.get({ name: req.name });
    if (role === undefined) return done; // deleted since it was queued
    const want = `weight=${role.spec.weight ?? 1}`;
    const have = role.status?.conditions?.find(c => c.type === CONDITION);
    if (have?.message === want && role.status?.observedGeneration === role.metadata.generation)
      return done;
    const next = structuredClone(role); // cached objects are frozen
    next.status = {
      ...next.status,
      observedGeneration: role.metadata.generation ?? 0,
      conditions: [
        {
          type: CONDITION,
          status: 'True',
          reason: 'Copied',
          message: want,
          lastTransitionTime: new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      ],
    };
    await this.roles.updateStatus(next, { signal }); // a Conflict throws and is retried
    this.writes += 1;
    return done;
  }
}

describe('a controller reconciling Roles end to end', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: Client;
  const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = Client.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    await client.close();
    await api.stop();
  });

  function run(mirror: WeightMirror): { stop: AbortController; done: Promise<void> } {
    const manager = new Manager({ clock: systemClock, logger, client });
    const informer = manager.informer(corralKinds.roles);
    mirror.cache = informer.cache;
    manager.add(
      new Controller({
        name: 'weight-mirror',
        reconciler: mirror,
        clock: systemClock,
        logger,
        workers: 2,
      }).watch(informer),
    );
    const stop = new AbortController();
    return { stop, done: manager.start(stop.signal) };
  }

  const mirrored = async (name: string): Promise<string | undefined> =>
    (await client.for(corralKinds.roles).get({ name })).status?.conditions?.find(
      c => c.type === CONDITION,
    )?.message;

  it('converges, follows spec changes, and does no work again after a restart', async () => {
    const roles = client.for(corralKinds.roles);
    for (const [name, weight] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await roles.create({
        apiVersion: 'corral.dev/v1alpha1',
        kind: 'Role',
        metadata: { name },
        spec: { role: name, weight },
      });
    const mirror = new WeightMirror(roles, systemClock);
    const first = run(mirror);
    await eventually(async () => {
      expect(await mirrored('a')).to.equal('weight=1');
      expect(await mirrored('b')).to.equal('weight=2');
      expect(await mirrored('c')).to.equal('weight=3');
    });
    await roles.patch({ name: 'b' }, { spec: { weight: 5 } });
    await eventually(async () => expect(await mirrored('b')).to.equal('weight=5'));
    await eventually(() => expect(mirror.writes).to.equal(4));
    first.stop.abort();
    await first.done;

    // level-based: a fresh start reconciles every Role again but finds nothing to write
    const finishedBefore = mirror.finished;
    const second = run(mirror);
    await eventually(() => expect(mirror.finished).to.be.at.least(finishedBefore + 3));
    expect(mirror.writes).to.equal(4);
    second.stop.abort();
    await second.done;
  });
});
