// Decline filters, suppression and revival, mirroring Mesos's HierarchicalAllocatorTest.
// {OfferFilter, SmallOfferFilterTimeout, SuppressAndReviveOffers, DeactivateAndReactivateFramework,
// RemoveFilters} and the refuse_seconds normalisation of `recoverResources`.
import { expect } from 'chai';
import { filterDurationMs, makeConfig } from '../../../../controllers/allocator/config.ts';
import { Scenario, expectOffers, offer } from './builders.ts';

describe('allocator: decline filters, suppress and revive', () => {
  it('DeclineFilter: declined resources stay away from the framework for the refuse time', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a']), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
    s.decline(s.offerTo('f'), 2);
    expect(s.model.frameworks.get('f')?.filters.count('role')).to.equal(1);
    expectOffers(s.advance(1000).cycle(), []);
    expectOffers(s.advance(1000).cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });

  it('DeclineFilter: the filter is per framework and role, and other frameworks get the resources', () => {
    const s = new Scenario();
    s.framework('f1', ['role']).framework('f2', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    const [first] = s.cycle();
    const decliner = first?.framework ?? '';
    s.decline(s.offerTo(decliner), 60);
    const [second] = s.advance(1000).cycle();
    expect(second?.framework).to.not.equal(decliner);
  });

  it('DeclineFilter: once more is free on the agent than was declined, the framework is offered again', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:2;mem:1024').use('t', 'f/role@a', 'cpus:1;mem:512');
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
    s.decline(s.offerTo('f'), 3600);
    expectOffers(s.advance(1000).cycle(), []);
    s.model.release('t');
    expectOffers(s.advance(1000).cycle(), [offer('f', 'role', 'a', 'cpus:2;mem:1024')]);
  });

  it('SmallOfferFilterTimeout: a filter shorter than the interval still applies to the next batch', () => {
    const s = new Scenario({ allocationIntervalMs: 60_000 });
    s.framework('f1', ['role']).framework('f2', ['role']);
    s.agent('a1', 'cpus:1;mem:512').use('t', 'f1/role@a1', 'cpus:1;mem:512');
    s.agent('a2', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f2', 'role', 'a2', 'cpus:1;mem:512')]);
    s.decline(s.offerTo('f2'), 1);
    // f2 has the lower share, but its filter outlives its 1 s until the next batch has run.
    expectOffers(s.advance(61_000).cycle(), [offer('f1', 'role', 'a2', 'cpus:1;mem:512')]);
    s.recover(s.offerTo('f1'));
    expectOffers(s.advance(60_000).cycle(), [offer('f2', 'role', 'a2', 'cpus:1;mem:512')]);
  });

  it('FilterExpires: after the refuse time and one full cycle, the filter no longer applies', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    s.cycle();
    s.decline(s.offerTo('f'), 5);
    for (let i = 1; i < 5; i++) expectOffers(s.advance(1000).cycle(), []);
    expectOffers(s.advance(1000).cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });

  it('RefuseZero: refuse_seconds 0 installs no filter', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    s.cycle();
    s.decline(s.offerTo('f'), 0);
    expect(s.model.frameworks.get('f')?.filters.count('role')).to.equal(0);
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });

  it('RefuseSeconds: normalised as Mesos does (default, clamp, at least one interval)', () => {
    const c = makeConfig();
    const day = 86_400_000;
    const table: [number | undefined, number | undefined][] = [
      [undefined, 5000],
      [-1, 5000],
      [Number.NaN, 5000],
      [0, undefined],
      [0.5, 1000],
      [2, 2000],
      [400 * 86_400, 365 * day],
      [Infinity, 365 * day],
    ];
    for (const [input, want] of table)
      expect(filterDurationMs(c, input), String(input)).to.equal(want);
  });

  it('SuppressRevive: a suppressed framework gets nothing until it revives', () => {
    const s = new Scenario();
    s.agent('a', 'cpus:2;mem:1024');
    s.framework('f', ['role1']);
    expectOffers(s.cycle(), [offer('f', 'role1', 'a', 'cpus:2;mem:1024')]);
    const outstanding = s.offerTo('f');
    // A redundant REVIVE is harmless: nothing more is free.
    expect(s.model.revive('f')).to.equal(true);
    expectOffers(s.cycle(), []);
    s.recover(outstanding);
    s.model.suppress('f');
    expectOffers(s.advance(1000).cycle(), []);
    s.model.revive('f');
    expectOffers(s.cycle(), [offer('f', 'role1', 'a', 'cpus:2;mem:1024')]);
  });

  it("SuppressedRoleNoOffers: suppressing one role leaves the framework's other roles offered", () => {
    const s = new Scenario();
    s.framework('f', ['r1', 'r2'], { suppressed: ['r2'] });
    s.agent('a', 'cpus:1;mem:512;cpus(r2):1;mem(r2):512');
    expectOffers(s.cycle(), [offer('f', 'r1', 'a', 'cpus:1;mem:512')]);
    // Removing the role from suppressedRoles revives it (and, as REVIVE, clears its filters).
    s.framework('f', ['r1', 'r2']);
    expectOffers(s.cycle(), [offer('f', 'r2', 'a', 'cpus(r2):1;mem(r2):512')]);
  });

  it("ReviveClearsFilters: REVIVE drops the role's decline filters", () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    s.cycle();
    s.decline(s.offerTo('f'), 3600);
    expectOffers(s.advance(1000).cycle(), []);
    s.model.revive('f', ['role']);
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });

  it('DeactivateAndReactivateFramework: an inactive framework gets nothing; deactivation drops filters', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512');
    s.cycle();
    s.decline(s.offerTo('f'), 3600);
    s.framework('f', ['role'], { active: false });
    expectOffers(s.advance(1000).cycle(), []);
    expect(
      s.model.upsertFramework({ id: 'f', roles: ['role'], capabilities: ['MULTI_ROLE'] }),
    ).to.equal(true);
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });

  it('RemoveFilters: an agent re-registering with new attributes clears its filters', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512', { attributes: { rack: 'r1' } });
    s.cycle();
    s.decline(s.offerTo('f'), 3600);
    expectOffers(s.advance(1000).cycle(), []);
    s.agent('a', 'cpus:1;mem:512', { attributes: { rack: 'r2' } });
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });
});
