// Who may be offered what: min allocatable resources, reservations, capabilities, agent state.
// Mirrors Mesos's HierarchicalAllocatorTest.{Allocatable, FrameworkMinAllocatable,
// FrameworkEmptyMinAllocatable, OfferAncestorReservationsToDescendantChild,
// SharedResourcesCapability, DontOfferOldAgentToMultiRoleFramework} and
// HierarchicalAllocatorTestWithReservations.ReservationUnallocated.
import { expect } from 'chai';
import type { Resources } from '../../../../core/resources/index.ts';
import { makeResource, scalarFromMilli } from '../../../../core/resources/index.ts';
import { build, dynamicRes, staticRes } from '../../core/resources/builders.ts';
import { Scenario, expectOffers, offer, res } from './builders.ts';

const revocableCpus = (milli: bigint): Resources =>
  res('cpus:0').add(
    makeResource({
      name: 'cpus',
      value: { type: 'SCALAR', scalar: scalarFromMilli(milli) },
      revocable: true,
    }),
  );

describe('allocator: eligibility', () => {
  it('Allocatable: offers only what holds one of the minimum sets (cpus:0.01 or mem:32)', () => {
    const s = new Scenario();
    s.framework('f', ['role1']);
    s.agent('a1', 'cpus:0.005;mem:16;disk:128');
    expectOffers(s.cycle(['a1']), []);
    s.agent('a2', 'cpus:0.01;mem:16;disk:128');
    expectOffers(s.cycle(['a2']), [offer('f', 'role1', 'a2', 'cpus:0.01;mem:16;disk:128')]);
    s.agent('a3', 'cpus:0.005;mem:32;disk:128');
    expectOffers(s.cycle(['a3']), [offer('f', 'role1', 'a3', 'cpus:0.005;mem:32;disk:128')]);
    // Amounts add up across reservations: 0.015 + 0.015 cpus is enough.
    const split = 'cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128';
    s.agent('a4', split);
    expectOffers(s.cycle(['a4']), [offer('f', 'role1', 'a4', split)]);
  });

  it('FrameworkMinAllocatable: a per-role minimum replaces the cluster one', () => {
    const s = new Scenario({ minAllocatable: 'cpus:0.01|mem:32' });
    s.framework('f', ['role1']);
    s.agent('a', 'cpus:0.005;mem:16;disk:128');
    expectOffers(s.cycle(), []);
    s.framework('f', ['role1'], { min: { role1: ['cpus:0.003'] } });
    expectOffers(s.advance(1000).cycle(), [offer('f', 'role1', 'a', 'cpus:0.005;mem:16;disk:128')]);
  });

  it('FrameworkEmptyMinAllocatable: an empty per-role list accepts anything non-empty', () => {
    const s = new Scenario({ minAllocatable: 'cpus:0.01|mem:32' });
    s.framework('f', ['role1'], { min: { role1: [] } });
    s.agent('a', 'cpus:0.005;mem:16;disk:128');
    expectOffers(s.cycle(), [offer('f', 'role1', 'a', 'cpus:0.005;mem:16;disk:128')]);
  });

  it('ReservationAllocation: reserved resources go only to their role', () => {
    const s = new Scenario();
    s.framework('f2', ['role2']);
    s.agent('a', 'cpus(role1):2;mem(role1):1024');
    expectOffers(s.cycle(), []);
    s.framework('f1', ['role1']);
    expectOffers(s.cycle(), [offer('f1', 'role1', 'a', 'cpus(role1):2;mem(role1):1024')]);
  });

  it("OfferAncestorReservationsToDescendantChild: a parent's reservation serves its sub-roles only", () => {
    const s = new Scenario();
    s.framework('child', ['a/b']).framework('other', ['b']).framework('parent', ['a']);
    s.agent('a1', 'cpus(a):1;mem(a):512');
    const made = s.cycle();
    expect(made.map(o => o.framework)).to.satisfy(
      (fws: string[]) => fws.length === 1 && fws[0] !== 'other',
    );
    s.agent('a2', 'cpus(a/b):1;mem(a/b):512');
    expectOffers(s.cycle(['a2']), [offer('child', 'a/b', 'a2', 'cpus(a/b):1;mem(a/b):512')]);
  });

  it('RevocableOnlyToCapableFrameworks: revocable resources go to REVOCABLE_RESOURCES frameworks', () => {
    const s = new Scenario();
    s.framework('plain', ['role']);
    s.agent('a', res('cpus:1;mem:512').add(revocableCpus(4000n)));
    const [first] = s.cycle();
    expect(first?.resources).to.equal('cpus:1; mem:512');
    s.framework('capable', ['other'], { caps: ['MULTI_ROLE', 'REVOCABLE_RESOURCES'] });
    const [second] = s.cycle();
    expect(second?.framework).to.equal('capable');
    expect(s.last[0]?.resources.toArray().every(r => r.revocable)).to.equal(true);
  });

  it('SharedResourcesCapability: shared volumes go to capable frameworks, once per cycle', () => {
    const s = new Scenario();
    const volume = build('disk', '5')
      .reserve(dynamicRes('role'))
      .volume('v1', 'data')
      .shared()
      .all();
    const withVolume = (o: { resources: Resources }) => !o.resources.shared().isEmpty();
    s.agent('a', res('cpus:2;mem:1024').add(volume));
    s.framework('plain', ['role']);
    expectOffers(s.cycle(), [offer('plain', 'role', 'a', 'cpus:2;mem:1024')]);
    s.recover(s.last[0]);
    // Two capable frameworks that accept anything: the volume still goes to one of them only.
    const sharing = { caps: ['MULTI_ROLE', 'SHARED_RESOURCES'] as const, min: { role: [] } };
    s.framework('sharer1', ['role'], sharing).framework('sharer2', ['role'], sharing);
    s.cycle();
    expect(s.last.filter(withVolume).map(d => d.framework)).to.deep.equal(['sharer1']);
    // In use by a task, the volume stays offerable (it is shared), still once per cycle.
    s.model.launch({ id: 't', framework: 'sharer1', role: 'role', agent: 'a', resources: volume });
    for (const d of [...s.last]) s.recover(d);
    s.advance(1000).cycle();
    expect(s.last.filter(withVolume)).to.have.length(1);
  });

  it('GpuFilter: agents with GPUs only go to GPU_RESOURCES frameworks, unless the filter is off', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512;gpus:1');
    expectOffers(s.cycle(), []);
    const t = new Scenario({ filterGpuResources: false });
    t.framework('f', ['role']).agent('a', 'cpus:1;mem:512;gpus:1');
    expectOffers(t.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512;gpus:1')]);
  });

  it('DontOfferOldAgentToMultiRoleFramework: MULTI_ROLE frameworks skip agents without MULTI_ROLE', () => {
    const s = new Scenario();
    s.agent('old', 'cpus:1;mem:512', { caps: [] });
    s.framework('multi', ['role']);
    expectOffers(s.cycle(), []);
    s.framework('single', ['role'], { caps: [] });
    expectOffers(s.cycle(), [offer('single', 'role', 'old', 'cpus:1;mem:512')]);
  });

  it('HierarchicalRoleCapability: nested roles skip agents without HIERARCHICAL_ROLE', () => {
    const s = new Scenario();
    s.agent('old', 'cpus:1;mem:512', { caps: ['MULTI_ROLE'] });
    s.framework('f', ['eng/ml']);
    expectOffers(s.cycle(), []);
  });

  it('RefinedReservationsCapability: refined reservations need RESERVATION_REFINEMENT', () => {
    const s = new Scenario();
    const refined = build('cpus', '2')
      .reserve(staticRes('eng'))
      .reserve(dynamicRes('eng/ml'))
      .all();
    s.agent('a', res('mem:512').add(refined));
    s.framework('old', ['eng/ml']);
    expectOffers(s.cycle(), [offer('old', 'eng/ml', 'a', 'mem:512')]);
    s.framework('new', ['eng/ml'], { caps: ['MULTI_ROLE', 'RESERVATION_REFINEMENT'] });
    const [second] = s.cycle();
    expect(second?.framework).to.equal('new');
    expect(s.last[0]?.resources.equals(refined)).to.equal(true);
  });

  it('RegionAware: agents in a remote region go to REGION_AWARE frameworks only', () => {
    const s = new Scenario({ region: 'eu' });
    s.agent('far', 'cpus:1;mem:512', { region: 'us' });
    s.framework('local', ['role']);
    expectOffers(s.cycle(), []);
    s.framework('aware', ['role'], { caps: ['MULTI_ROLE', 'REGION_AWARE'] });
    expectOffers(s.cycle(), [offer('aware', 'role', 'far', 'cpus:1;mem:512')]);
  });

  it('InactiveAgent: nothing is offered from a cordoned, draining or unreachable agent', () => {
    const s = new Scenario();
    s.framework('f', ['role']);
    s.agent('a', 'cpus:1;mem:512', { active: false });
    expectOffers(s.cycle(), []);
    s.agent('a', 'cpus:1;mem:512', { active: true });
    expectOffers(s.cycle(), [offer('f', 'role', 'a', 'cpus:1;mem:512')]);
  });
});
