// The DRF sorter alone, mirroring Mesos's DRFSorterTest.{DRF, WDRF, AllocationCountTieBreak,
// HierarchicalAllocation} and CommonSorterTest.RemoveLeafCollapseParent, plus the live `visit`
// walk that replaces Mesos's per-agent sort() snapshot.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  QuantityVector,
  ScalarNames,
  splitScalars,
} from '../../../../controllers/allocator/model/scalar-vector.ts';
import { DrfSorter } from '../../../../controllers/allocator/sorter/drf-sorter.ts';
import { ShareBasis } from '../../../../controllers/allocator/sorter/share-basis.ts';
import { res } from './builders.ts';

function sorter(total: string, hierarchical = true, excluded: string[] = []) {
  const names = new ScalarNames();
  const basis = new ShareBasis(names, new QuantityVector(), new Set(excluded));
  basis.addTotal(splitScalars(names, res(total)).all);
  const s = new DrfSorter<string>({ hierarchical, basis });
  const delta = (text: string) => splitScalars(names, res(text)).all;
  const add = (client: string) => s.add(client, client, true);
  return { s, basis, delta, add, names };
}

describe('allocator: DRF sorter', () => {
  it('DRF: orders clients by dominant share, recomputed as allocations change', () => {
    const { s, delta, add } = sorter('cpus:100;mem:100');
    add('a');
    add('b');
    s.allocated('a', delta('cpus:5'));
    expect(s.sorted()).to.deep.equal(['b', 'a']);
    s.allocated('b', delta('mem:10'));
    expect(s.sorted()).to.deep.equal(['a', 'b']);
    add('c');
    expect(s.sorted()).to.deep.equal(['c', 'a', 'b']);
    s.unallocated('b', delta('mem:8'));
    expect(s.sorted()).to.deep.equal(['c', 'b', 'a']);
    expect(s.share('a')).to.be.closeTo(0.05, 1e-12);
  });

  it('WDRF: a weight divides the share', () => {
    const { s, delta, add } = sorter('cpus:100;mem:100');
    add('heavy');
    add('light');
    s.updateWeight('heavy', 2);
    s.allocated('heavy', delta('cpus:30'));
    s.allocated('light', delta('cpus:20'));
    expect(s.sorted()).to.deep.equal(['heavy', 'light']);
    expect(s.share('heavy')).to.be.closeTo(0.15, 1e-12);
  });

  it('AllocationCountTieBreak: equal shares are ordered by allocation count, then name', () => {
    const { s, delta, add } = sorter('cpus:100');
    for (const c of ['c', 'b', 'a']) add(c);
    expect(s.sorted()).to.deep.equal(['a', 'b', 'c']);
    s.allocated('a', delta('cpus:1'));
    s.allocated('b', delta('cpus:1'));
    s.allocated('b', delta('cpus:0'));
    s.allocated('c', delta('cpus:1'));
    s.unallocated('b', delta('cpus:0'));
    // a: share 0.01, count 1; b: 0.01, count 2; c: 0.01, count 1.
    expect(s.sorted()).to.deep.equal(['a', 'c', 'b']);
  });

  it('FairnessExclusion: excluded names do not count in shares', () => {
    const { s, delta, add } = sorter('cpus:100;gpus:4', true, ['gpus']);
    add('a');
    add('b');
    s.allocated('a', delta('gpus:4'));
    s.allocated('b', delta('cpus:1'));
    expect(s.sorted()).to.deep.equal(['a', 'b']);
  });

  it('HierarchicalAllocation: siblings compare by subtree share, leaves in pre-order', () => {
    const { s, delta, add } = sorter('cpus:100');
    for (const c of ['a/x', 'a/y', 'b/x']) add(c);
    s.allocated('a/x', delta('cpus:30'));
    s.allocated('b/x', delta('cpus:20'));
    expect(s.sorted()).to.deep.equal(['b/x', 'a/y', 'a/x']);
    // A client that is also a parent lives in a virtual leaf beside its children.
    add('b');
    s.allocated('b', delta('cpus:20'));
    // a (0.3) before b (0.4); in b, `b` (as `b/.`) ties b/x and wins on the path.
    expect(s.sorted()).to.deep.equal(['a/y', 'a/x', 'b', 'b/x']);
  });

  it('RemoveLeafCollapseParent: removing the last child turns a parent back into a leaf', () => {
    const { s, delta, add } = sorter('cpus:100');
    add('a');
    add('a/b');
    s.allocated('a', delta('cpus:10'));
    s.remove('a/b');
    add('c');
    expect(s.sorted()).to.deep.equal(['c', 'a']);
    expect(s.share('a')).to.be.closeTo(0.1, 1e-12);
  });

  it('Inactive: deactivated clients keep their allocation but are never returned', () => {
    const { s, delta, add } = sorter('cpus:100');
    add('a');
    add('b');
    s.allocated('a', delta('cpus:10'));
    s.deactivate('b');
    expect(s.sorted()).to.deep.equal(['a']);
    s.activate('b');
    expect(s.sorted()).to.deep.equal(['b', 'a']);
  });

  it("visit: walks the live order with the result of Mesos's snapshot, whatever is allocated meanwhile", () => {
    const tree = fc.array(fc.constantFrom('r1', 'r2', 'r1/x', 'r1/y', 'r2/z', 'r3'), {
      minLength: 1,
      maxLength: 6,
    });
    const grants = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 });
    fc.assert(
      fc.property(
        tree,
        grants,
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 6 }),
        (clients, picks, amounts) => {
          const { s, delta, add } = sorter('cpus:100;mem:100');
          for (const c of new Set(clients)) add(c);
          amounts.forEach((n, i) =>
            s.allocated(clients[i % clients.length] ?? 'r1', delta(`cpus:${n}`)),
          );
          const snapshot = [...s.sorted()];
          const seen: string[] = [];
          s.visit(c => {
            seen.push(c);
            // Allocate to some visited clients while walking, as a cycle does.
            if (picks.includes(seen.length - 1)) s.allocated(c, delta('cpus:7;mem:3'));
            return true;
          });
          expect(seen).to.deep.equal(snapshot);
        },
      ),
    );
  });
});
