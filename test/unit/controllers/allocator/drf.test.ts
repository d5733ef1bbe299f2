// Weighted DRF between roles and between a role's frameworks, mirroring Mesos's
// HierarchicalAllocatorTest.{UnreservedDRF, ReservedDRF, DRFWithFairnessExclusion,
// NestedRoleDRF, CoarseGrained, SameShareFairness, UpdateWeight}. As in Mesos, adding an agent
// runs a cycle over that agent only and adding a framework runs one over every agent.
import { expect } from 'chai';
import { Scenario, expectOffers, offer } from './builders.ts';

describe('allocator: weighted DRF', () => {
  it('UnreservedDRF: offers each new agent to the role, then the framework, with the lowest share', () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:2;mem:1024');
    s.framework('f1', ['role1']);
    expectOffers(s.cycle(), [offer('f1', 'role1', 'a1', 'cpus:2;mem:1024')]);

    s.framework('f2', ['role2']);
    expectOffers(s.cycle(), []);
    s.agent('a2', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f2', 'role2', 'a2', 'cpus:1;mem:512')]);

    // role1 0.33 vs role2 0.16 of cpus:6;mem:3584.
    s.agent('a3', 'cpus:3;mem:2048');
    expectOffers(s.cycle(['a3']), [offer('f2', 'role2', 'a3', 'cpus:3;mem:2048')]);

    // role1 0.2 vs role2 0.4: role1 wins, and in it f3 (share 0) beats f1.
    s.framework('f3', ['role1']);
    s.agent('a4', 'cpus:4;mem:4096');
    expectOffers(s.cycle(['a4']), [offer('f3', 'role1', 'a4', 'cpus:4;mem:4096')]);

    // f4 has nothing, but role2 (0.36) is below role1 (0.63): the role level decides first.
    s.framework('f4', ['role1']);
    s.agent('a5', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a5']), [offer('f2', 'role2', 'a5', 'cpus:1;mem:512')]);
  });

  it('ReservedDRF: reserved resources count towards the role share and go only to its frameworks', () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:1;mem:512;cpus(role1):100;mem(role1):1024');
    s.framework('f1', ['role1']);
    expectOffers(s.cycle(), [
      offer('f1', 'role1', 'a1', 'cpus:1;mem:512;cpus(role1):100;mem(role1):1024'),
    ]);

    s.framework('f2', ['role2']);
    s.agent('a2', 'cpus:2;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f2', 'role2', 'a2', 'cpus:2;mem:512')]);
    s.agent('a3', 'cpus:2;mem:512');
    expectOffers(s.cycle(['a3']), [offer('f2', 'role2', 'a3', 'cpus:2;mem:512')]);

    // Reserved for role1: only role1's frameworks, and f3 has the lower share there.
    s.framework('f3', ['role1']);
    s.agent('a4', 'cpus(role1):2;mem(role1):1024');
    expectOffers(s.cycle(['a4']), [offer('f3', 'role1', 'a4', 'cpus(role1):2;mem(role1):1024')]);
  });

  it('DRFWithFairnessExclusion: an excluded resource (gpus) does not count in shares', () => {
    const s = new Scenario({ fairnessExcludedResourceNames: ['gpus'] });
    s.agent('a1', 'cpus:2;mem:1024;gpus:1');
    s.framework('f1', ['role1'], { caps: ['MULTI_ROLE', 'GPU_RESOURCES'] });
    expectOffers(s.cycle(), [offer('f1', 'role1', 'a1', 'cpus:2;mem:1024;gpus:1')]);

    s.framework('f2', ['role2']);
    s.agent('a2', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f2', 'role2', 'a2', 'cpus:1;mem:512')]);
    // Counting gpus, role1 would hold 100% of them and lose; without, it holds 0.33 vs 0.16.
    s.agent('a3', 'cpus:3;mem:2048');
    expectOffers(s.cycle(['a3']), [offer('f2', 'role2', 'a3', 'cpus:3;mem:2048')]);
    s.framework('f3', ['role1']);
    s.agent('a4', 'cpus:4;mem:4096');
    expectOffers(s.cycle(['a4']), [offer('f3', 'role1', 'a4', 'cpus:4;mem:4096')]);
    s.framework('f4', ['role1']);
    s.agent('a5', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a5']), [offer('f2', 'role2', 'a5', 'cpus:1;mem:512')]);
  });

  it('NestedRoleDRF: compares subtrees first, then roles within the subtree', () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:2;mem:1024');
    s.framework('f1', ['a/b']);
    expectOffers(s.cycle(), [offer('f1', 'a/b', 'a1', 'cpus:2;mem:1024')]);

    // The `a` subtree holds everything, so `d/e` wins over `a/c` although both have nothing.
    s.framework('f2', ['a/c']);
    s.framework('f3', ['d/e']);
    s.agent('a2', 'cpus:1;mem:512');
    expectOffers(s.cycle(['a2']), [offer('f3', 'd/e', 'a2', 'cpus:1;mem:512')]);

    // `d` (0.33) is still below `a` (0.67), and within `d`, `d/f` (0) below `d/e`.
    s.framework('f4', ['d/f']);
    s.agent('a3', 'cpus:2;mem:1024');
    expectOffers(s.cycle(['a3']), [offer('f4', 'd/f', 'a3', 'cpus:2;mem:1024')]);
  });

  it('CoarseGrained: a framework takes a whole agent before the next framework is considered', () => {
    const s = new Scenario();
    s.agent('a1', 'cpus:2;mem:1024').agent('a2', 'cpus:2;mem:1024');
    s.framework('f1', ['role1']);
    const first = s.cycle();
    expect(first).to.have.length(2);
    for (const d of [...s.last]) s.recover(d);
    s.framework('f2', ['role2']);
    const second = s.cycle();
    expect(second.map(o => o.framework).sort()).to.deep.equal(['f1', 'f2']);
    expect(new Set(second.map(o => o.agent)).size).to.equal(2);
    for (const o of second) expect(o.resources).to.equal('cpus:2; mem:1024');
  });

  it('SameShareFairness: frameworks with equal shares alternate on allocation count', () => {
    const s = new Scenario();
    s.framework('f1', ['*']).framework('f2', ['*']);
    s.agent('a1', 'cpus:2;mem:1024');
    const counts = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const [made] = s.cycle();
      expect(made?.resources).to.equal('cpus:2; mem:1024');
      counts.set(made?.framework ?? '', (counts.get(made?.framework ?? '') ?? 0) + 1);
      s.recover(s.last[0]).advance(1000);
    }
    expect(counts.get('f1')).to.equal(5);
    expect(counts.get('f2')).to.equal(5);
  });

  it('UpdateWeight: a role of weight 2 competes with half its dominant share', () => {
    const winner = (weight: number): string | undefined => {
      const s = new Scenario();
      s.framework('f1', ['heavy']).framework('f2', ['light']);
      s.model.setWeight('heavy', weight);
      s.agent('a1', 'cpus:2;mem:1024')
        .agent('a2', 'cpus:2;mem:1024')
        .agent('a3', 'cpus:2;mem:1024');
      // heavy holds 2 of 6 cpus (0.33), light 1.5 (0.25).
      s.use('t1', 'f1/heavy@a1', 'cpus:2;mem:1024');
      s.use('t2', 'f2/light@a2', 'cpus:1.5;mem:768');
      return s.cycle(['a3'])[0]?.framework;
    };
    expect(winner(1)).to.equal('f2');
    expect(winner(2)).to.equal('f1');
  });
});
