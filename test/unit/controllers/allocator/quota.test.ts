// Quota guarantees, limits and headroom, mirroring Mesos's HierarchicalAllocatorTest quota
// scenarios (QuotaProvidesGuarantee, QuotaProvidesLimit, QuotaAbsentFrameworkWholeAgent,
// MultiQuotaAbsentFrameworks, MultiQuotaWithFrameworks, ReservationWithinQuota,
// QuotaSetAsideReservedResources, DisproportionateQuotaVsAllocation, the nested-role quota tests
// and HierarchicalAllocatorTestWithReservations' reservation/quota ones).
import { expect } from 'chai';
import { Scenario, expectOffers, offer } from './builders.ts';

describe('allocator: quota', () => {
  it('QuotaProvidesGuarantee: unmet guarantees come first, and declined ones are kept for the role', () => {
    const s = new Scenario();
    s.framework('f1', ['quota-role']).quota('quota-role', 'cpus:2;mem:1024');
    s.framework('f2', ['no-quota-role']);
    s.agent('a1', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a1']), [offer('f1', 'quota-role', 'a1', 'cpus:1;mem:512')]);
    s.agent('a2', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f1', 'quota-role', 'a2', 'cpus:1;mem:512')]);

    // f1 declines a2 for two intervals; f2 must not get it, as f1 still needs it.
    s.decline(s.offerTo('f1', 'a2'), 2);
    expectOffers(s.advance(1000).cycle(), []);
    expectOffers(s.advance(1000).cycle(), [offer('f1', 'quota-role', 'a2', 'cpus:1;mem:512')]);
  });

  it('QuotaLimits: a zero limit keeps the role out; a half-agent limit chops the agent', () => {
    const s = new Scenario();
    s.framework('f1', ['*']).quota('*', '', 'cpus:0;mem:0;disk:0');
    s.agent('a1', 'cpus:2;mem:1024;disk:1024');
    expectOffers(s.cycle(['a1']), []);
    s.framework('f2', ['no-quota-role']);
    expectOffers(s.cycle(), [offer('f2', 'no-quota-role', 'a1', 'cpus:2;mem:1024;disk:1024')]);

    s.quota('*', '', 'cpus:1;mem:512;disk:512');
    s.agent('a2', 'cpus:2;mem:1024;disk:1024');
    expectOffers(s.cycle(['a2']), [
      offer('f1', '*', 'a2', 'cpus:1;mem:512;disk:512'),
      offer('f2', 'no-quota-role', 'a2', 'cpus:1;mem:512;disk:512'),
    ]);
  });

  it('QuotaAbsentFramework: a guarantee with no framework is still held back as headroom', () => {
    const s = new Scenario();
    s.quota('quota-role', 'cpus:2;mem:1024');
    s.framework('f', ['no-quota-role']);
    s.agent('a1', 'cpus:2;mem:1024');
    expectOffers(s.cycle(['a1']), []);
    s.agent('a2', 'cpus:2;mem:1024');
    expectOffers(s.cycle(['a2']), [offer('f', 'no-quota-role', 'a2', 'cpus:2;mem:1024')]);
    expectOffers(s.advance(1000).cycle(), []);
  });

  it('MultiQuotaAbsentFrameworks: a frameworkless quota role does not starve another quota role', () => {
    const s = new Scenario();
    s.agent('a', 'cpus:2;mem:2048');
    s.quota('quota-role-1', 'cpus:1;mem:1024').quota('quota-role-2', 'cpus:2;mem:2048');
    s.framework('f', ['quota-role-2']);
    expectOffers(s.cycle(), [offer('f', 'quota-role-2', 'a', 'cpus:2;mem:2048')]);
  });

  it('MultiQuotaWithFrameworks: a satisfied quota role does not take what an unsatisfied one needs', () => {
    const s = new Scenario();
    s.quota('quota-role-1', 'cpus:1;mem:200').quota('quota-role-2', 'cpus:2;mem:2000');
    s.framework('f1', ['quota-role-1']).framework('f2', ['quota-role-2']);
    s.agent('a1', 'cpus:1;mem:1024').use('t1', 'f1/quota-role-1@a1', 'cpus:1;mem:1024');
    s.agent('a2', 'cpus:1;mem:1024').use('t2', 'f2/quota-role-2@a2', 'cpus:1;mem:1024');
    s.agent('a3', 'cpus:2;mem:2048');
    expectOffers(s.cycle(['a3']), [offer('f2', 'quota-role-2', 'a3', 'cpus:1;mem:976')]);
  });

  it('ReservationWithinQuota: reservations count as consumed quota, used or not', () => {
    const s = new Scenario();
    s.quota('quota-role', 'cpus:2;mem:256');
    s.framework('f1', ['quota-role']).framework('f2', ['non-quota-role']);
    s.agent('a1', 'cpus:8;mem(quota-role):256');
    s.use('t1', 'f1/quota-role@a1', 'cpus:2;mem(quota-role):256');
    expectOffers(s.cycle(['a1']), [offer('f2', 'non-quota-role', 'a1', 'cpus:6')]);
    s.agent('a2', 'cpus:4');
    expectOffers(s.cycle(['a2']), [offer('f2', 'non-quota-role', 'a2', 'cpus:4')]);
  });

  it("QuotaSetAsideReservedResources: another role's reservations are not headroom", () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:4;mem:512');
    s.agent('a2', 'cpus(no-quota-role):4;mem(no-quota-role):512');
    s.framework('f1', ['quota-role']).quota('quota-role', 'cpus:4;mem:512');
    expectOffers(s.cycle(), [offer('f1', 'quota-role', 'a1', 'cpus:4;mem:512')]);
    s.decline(s.offerTo('f1'), 10);
    expectOffers(s.advance(1000).cycle(), []);

    s.framework('f2', ['no-quota-role']);
    expectOffers(s.cycle(), [
      offer('f2', 'no-quota-role', 'a2', 'cpus(no-quota-role):4;mem(no-quota-role):512'),
    ]);
    s.decline(s.offerTo('f2'), 10);
    expectOffers(s.advance(1000).cycle(), []);
  });

  it('DisproportionateQuotaVsAllocation: only the resources still under guarantee are offered', () => {
    const s = new Scenario();
    s.quota('quota-role', 'cpus:4;mem:1024').framework('f', ['quota-role']);
    s.agent('a1', 'cpus:2;mem:1024');
    expectOffers(s.cycle(['a1']), [offer('f', 'quota-role', 'a1', 'cpus:2;mem:1024')]);
    s.agent('a2', 'cpus:2;mem:1024');
    expectOffers(s.cycle(['a2']), [offer('f', 'quota-role', 'a2', 'cpus:2')]);
  });

  it('QuotaGuaranteesWithReservations: a role whose reservations exceed its guarantee needs no headroom', () => {
    const s = new Scenario();
    s.quota('quota-role-w-reservation', 'cpus:1;mem:1024');
    s.quota('quota-role-no-reservation', 'cpus:1;mem:1024');
    s.agent('a1', 'cpus(quota-role-w-reservation):2;mem(quota-role-w-reservation):2048');
    s.agent('a2', 'cpus:1;mem:1024');
    s.framework('f', ['non-quota-role']);
    expectOffers(s.cycle(), []);
    s.agent('a3', 'cpus:1;mem:1024');
    expectOffers(s.cycle(['a3']), [offer('f', 'non-quota-role', 'a3', 'cpus:1;mem:1024')]);
  });

  it('NonQuotaRoleReservationWithQuotaRole: a role gets its reservations despite held-back headroom', () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:2;mem:2048;cpus(non-quota-role):2;mem(non-quota-role):2048');
    s.quota('quota-role', 'cpus:2;mem:2048').framework('f1', ['quota-role']);
    expectOffers(s.cycle(), [offer('f1', 'quota-role', 'a1', 'cpus:2;mem:2048')]);
    s.decline(s.offerTo('f1'), 86_400);
    s.framework('f2', ['non-quota-role']);
    expectOffers(s.cycle(), [
      offer('f2', 'non-quota-role', 'a1', 'cpus(non-quota-role):2;mem(non-quota-role):2048'),
    ]);
  });

  it("QuotaWithNestedRoleReservation: a sub-role's reservation counts towards its parent's guarantee", () => {
    const s = new Scenario();
    s.quota('a', 'cpus:2;mem:200');
    s.agent('a1', 'cpus(a/b):1;mem(a/b):100');
    s.agent('a2', 'cpus:10;mem:1000');
    s.framework('f1', ['a']);
    expectOffers(s.cycle(), [offer('f1', 'a', 'a2', 'cpus:1;mem:100')]);
  });

  it('QuotaHeadroomWithNestedRoleAllocation: sub-role allocations count, and one agent is held back', () => {
    const s = new Scenario();
    s.framework('f1', ['a/b']);
    s.agent('a1', 'cpus:1;mem:100');
    expectOffers(s.cycle(['a1']), [offer('f1', 'a/b', 'a1', 'cpus:1;mem:100')]);
    s.framework('f2', ['a']);
    s.agent('a2', 'cpus:1;mem:100');
    expectOffers(s.cycle(['a2']), [offer('f2', 'a', 'a2', 'cpus:1;mem:100')]);
    s.quota('quota-role', 'cpus:1;mem:100');
    s.agent('a3', 'cpus:1;mem:100');
    expectOffers(s.cycle(['a3']), []);
    s.agent('a4', 'cpus:1;mem:100');
    expect(s.cycle()).to.have.length(1);
    expectOffers(s.advance(1000).cycle(), []);
  });

  it("QuotaWithNestedRoleAllocation: a sub-role is bound by its top-level role's limits (Mesos TODO)", () => {
    // Mesos offers agent2 to a/b here because sub-roles are not yet bound by their parent's
    // quota; its test marks that as a TODO. Corral enforces the parent's limit on the subtree.
    const s = new Scenario();
    s.framework('f1', ['a/b']);
    s.agent('a1', 'cpus:1;mem:1024');
    expectOffers(s.cycle(['a1']), [offer('f1', 'a/b', 'a1', 'cpus:1;mem:1024')]);
    s.quota('a', 'cpus:1;mem:1024').framework('f2', ['a']);
    s.agent('a2', 'cpus:1;mem:1024');
    expectOffers(s.cycle(['a2']), []);
  });
});
