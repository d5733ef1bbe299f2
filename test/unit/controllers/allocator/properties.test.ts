// Allocator invariants under random clusters and random event sequences (fast-check): after every
// cycle, nothing is offered or used beyond an agent's total, no role is pushed over its limits, no
// reservation leaves its role's subtree, revocable/shared/refined/GPU resources go only to capable
// frameworks, nothing is offered twice, and the incremental bookkeeping matches a recount.
import { expect } from 'chai';
import fc from 'fast-check';
import type { ResourceLimits, ResourceQuantities } from '../../../../core/resources/index.ts';
import {
  Resources,
  hasRefinedReservations,
  isAllocatableTo,
  makeResource,
  parseLimitsText,
  parseQuantitiesText,
} from '../../../../core/resources/index.ts';
import type { FrameworkCapability } from '../../../../core/types/index.ts';
import { makeConfig } from '../../../../controllers/allocator/config.ts';
import { runCycle } from '../../../../controllers/allocator/cycle.ts';
import type { OfferDecision } from '../../../../controllers/allocator/decisions.ts';
import { AllocatorModel } from '../../../../controllers/allocator/model/model.ts';
import { seededRandom } from '../../../../controllers/allocator/random.ts';
import { build, dynamicRes, staticRes } from '../../core/resources/builders.ts';
import { AGENT_CAPS, res } from './builders.ts';

const ROLES = ['a', 'a/b', 'b', 'c', '*'] as const;
const TOP = ['a', 'b', 'c', '*'] as const;
const CAPS: FrameworkCapability[] = [
  'REVOCABLE_RESOURCES',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'RESERVATION_REFINEMENT',
];

const agentArb = fc.record({
  cpus: fc.integer({ min: 1, max: 8 }),
  mem: fc.integer({ min: 64, max: 4096 }),
  ports: fc.boolean(),
  gpus: fc.boolean(),
  reserved: fc.option(fc.tuple(fc.constantFrom('a', 'a/b', 'b'), fc.integer({ min: 1, max: 4 }))),
  refined: fc.boolean(),
  revocable: fc.option(fc.integer({ min: 1, max: 4 })),
  shared: fc.boolean(),
  active: fc.boolean(),
});
type AgentSpec = typeof agentArb extends fc.Arbitrary<infer T> ? T : never;

function agentTotal(a: AgentSpec, i: number): Resources {
  let total = res(
    `cpus:${a.cpus};mem:${a.mem}${a.ports ? ';ports:[31000-31009]' : ''}${a.gpus ? ';gpus:1' : ''}`,
  );
  if (a.reserved !== null)
    total = total.add(res(`cpus(${a.reserved[0]}):${a.reserved[1]};mem(${a.reserved[0]}):128`));
  if (a.refined)
    total = total.add(build('cpus', '1').reserve(staticRes('a')).reserve(dynamicRes('a/b')).all());
  if (a.revocable !== null) {
    total = total.add(
      makeResource({
        name: 'cpus',
        value: res(`cpus:${a.revocable}`).toArray()[0]!.value,
        revocable: true,
      }),
    );
  }
  if (a.shared)
    total = total.add(
      build('disk', '10').reserve(dynamicRes('b')).volume(`v${i}`, 'data').shared().all(),
    );
  return total;
}

const frameworkArb = fc.record({
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
  caps: fc.subarray(CAPS),
  suppressFirst: fc.boolean(),
});

const quotaArb = fc.record({
  role: fc.constantFrom(...TOP),
  cpus: fc.integer({ min: 0, max: 6 }),
  extraLimit: fc.option(fc.integer({ min: 0, max: 6 })),
});

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('cycle' as const), full: fc.boolean() }),
  fc.record({
    kind: fc.constant('decline' as const),
    pick: fc.nat(),
    refuse: fc.constantFrom(0, 1, 5, 3600),
  }),
  fc.record({ kind: fc.constant('launch' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(500, 1000, 5000) }),
  fc.record({ kind: fc.constant('suppress' as const), pick: fc.nat(), on: fc.boolean() }),
  fc.record({ kind: fc.constant('toggle' as const), pick: fc.nat() }),
);

function holdingsOn(model: AllocatorModel, agent: string): Resources[] {
  const out: Resources[] = [];
  for (const o of model.offers.values()) if (o.agent === agent) out.push(o.resources);
  for (const u of model.usages.values()) if (u.agent === agent) out.push(u.resources);
  return out;
}

function checkBookkeeping(model: AllocatorModel): void {
  for (const agent of model.agents.values()) {
    const held = Resources.sum(holdingsOn(model, agent.id));
    // Offered + used ≤ total (shared volumes are offered while in use: each must exist).
    expect(
      agent.total.nonShared().contains(held.nonShared()),
      `over-committed ${agent.id}`,
    ).to.equal(true);
    for (const r of held.shared()) expect(agent.total.contains(Resources.of(r))).to.equal(true);
    // available, kept incrementally, equals a recount.
    const recount = agent.total.nonShared().subtract(held.nonShared()).add(agent.total.shared());
    expect(agent.available.equals(recount), `available of ${agent.id}`).to.equal(true);
  }
  // The running totals the sorters and quota read equal a recount of every holding (shared
  // volumes are counted once per holder, so compare only when there are none).
  if ([...model.agents.values()].some(a => a.hasShared)) return;
  const all = [...model.offers.values(), ...model.usages.values()].map(h => h.resources);
  const sum = Resources.sum(all);
  const scalars = sum.scalars().toQuantities();
  expect(
    model.ledger.allocated.toQuantities(model.names).equals(scalars),
    'sorter totals',
  ).to.equal(true);
  const quotaPart = sum.filter(r => r.reservations.length === 0 && !r.revocable).scalars();
  const root = model.roleTree.root.offeredOrAllocatedQuota.toQuantities(model.names);
  expect(root.equals(quotaPart.toQuantities()), 'role tree totals').to.equal(true);
}

function consumedOver(q: ResourceQuantities, limits: ResourceLimits): Set<string> {
  const over = new Set<string>();
  for (const [name, limit] of limits) if (q.get(name) > limit) over.add(name);
  return over;
}

function checkDecisions(model: AllocatorModel, decisions: readonly OfferDecision[]): void {
  const sharedSeen = new Set<string>();
  for (const d of decisions) {
    const fw = model.frameworks.get(d.framework);
    const agent = model.agents.get(d.agent);
    expect(fw?.wantsOffers(d.role), 'offer to a framework not asking for the role').to.equal(true);
    expect(agent?.active).to.equal(true);
    if (agent?.hasGpu === true) expect(fw?.gpu).to.equal(true);
    for (const r of d.resources) {
      expect(isAllocatableTo(r, d.role), `reserved outside its subtree: ${d.role}`).to.equal(true);
      if (r.revocable) expect(fw?.revocable).to.equal(true);
      if (r.shared) {
        expect(fw?.shared).to.equal(true);
        const key = `${d.agent}:${JSON.stringify(r.disk)}`;
        expect(sharedSeen.has(key), 'shared volume offered twice in a cycle').to.equal(false);
        sharedSeen.add(key);
      }
      if (hasRefinedReservations(r)) expect(fw?.refinement).to.equal(true);
    }
  }
}

describe('allocator: invariants (property)', () => {
  it('holds its invariants after every cycle of random clusters and event sequences', () => {
    fc.assert(
      fc.property(
        fc.record({
          agents: fc.array(agentArb, { minLength: 1, maxLength: 6 }),
          frameworks: fc.array(frameworkArb, { minLength: 1, maxLength: 5 }),
          quotas: fc.array(quotaArb, { maxLength: 3 }),
          ops: fc.array(opArb, { minLength: 1, maxLength: 30 }),
          seed: fc.integer(),
        }),
        ({ agents, frameworks, quotas, ops, seed }) => {
          const config = makeConfig();
          const model = new AllocatorModel();
          const random = seededRandom(seed);
          agents.forEach((a, i) =>
            model.upsertAgent({
              id: `ag${i}`,
              total: agentTotal(a, i),
              capabilities: AGENT_CAPS,
              active: a.active,
            }),
          );
          frameworks.forEach((f, i) =>
            model.upsertFramework({
              id: `fw${i}`,
              roles: f.roles,
              capabilities: ['MULTI_ROLE', ...f.caps],
              suppressedRoles: f.suppressFirst ? f.roles.slice(0, 1) : [],
            }),
          );
          for (const q of quotas) {
            const limit = q.extraLimit === null ? '' : `cpus:${q.cpus + q.extraLimit}`;
            model.setQuota(q.role, {
              guarantees: parseQuantitiesText(`cpus:${q.cpus}`),
              limits: parseLimitsText(limit),
            });
          }
          let now = 0;
          let tasks = 0;
          for (const op of ops) {
            switch (op.kind) {
              case 'cycle': {
                const before = new Map(
                  [...model.roleTree.topLevel()].map(r => [
                    r.name,
                    model.roleTree.quotaOfferedOrConsumed(r),
                  ]),
                );
                const candidates = op.full ? undefined : new Set([`ag0`]);
                const { decisions } = runCycle(model, { now, config, random, candidates });
                checkDecisions(model, decisions);
                for (const role of model.roleTree.topLevel()) {
                  const after = consumedOver(
                    model.roleTree.quotaOfferedOrConsumed(role),
                    role.quota.limits,
                  );
                  const was = consumedOver(
                    before.get(role.name) ?? parseQuantitiesText(''),
                    role.quota.limits,
                  );
                  for (const name of after)
                    expect(was.has(name), `${role.name} pushed over its ${name} limit`).to.equal(
                      true,
                    );
                }
                break;
              }
              case 'decline': {
                const offers = [...model.offers.values()];
                const o = offers[op.pick % Math.max(1, offers.length)];
                if (o !== undefined)
                  model.recoverOffer(o.id, {
                    now,
                    filterMs: op.refuse === 0 ? undefined : op.refuse * 1000,
                  });
                break;
              }
              case 'launch': {
                const offers = [...model.offers.values()];
                const o = offers[op.pick % Math.max(1, offers.length)];
                const first = o?.resources.toArray()[0];
                if (o !== undefined && first !== undefined) {
                  model.launch({
                    id: `t${tasks++}`,
                    framework: o.framework,
                    role: o.role,
                    agent: o.agent,
                    resources: Resources.of(first),
                    offer: o.id,
                  });
                }
                break;
              }
              case 'release': {
                const ids = [...model.usages.keys()];
                const id = ids[op.pick % Math.max(1, ids.length)];
                if (id !== undefined) model.release(id);
                break;
              }
              case 'advance':
                now += op.ms;
                break;
              case 'suppress': {
                const id = `fw${op.pick % frameworks.length}`;
                if (op.on) model.suppress(id);
                else model.revive(id);
                break;
              }
              case 'toggle': {
                const i = op.pick % agents.length;
                const a = model.agents.get(`ag${i}`);
                if (a !== undefined) {
                  model.upsertAgent({
                    id: a.id,
                    total: a.total,
                    capabilities: AGENT_CAPS,
                    active: !a.active,
                  });
                }
                break;
              }
              default:
                throw new Error('unknown op');
            }
            checkBookkeeping(model);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
