// Allocator flags: Mesos's `--min_allocatable_resources` syntax and the defaults.
import { expect } from 'chai';
import { makeConfig, parseMinAllocatable } from '../../../../controllers/allocator/config.ts';

describe('allocator: config', () => {
  it('parses min allocatable: `|` separates alternatives, `;` joins quantities', () => {
    const sets = parseMinAllocatable('disk:1|cpus:1;mem:32;ports:1');
    expect(sets.map(s => s.toString())).to.deep.equal(['disk:1', 'cpus:1; mem:32; ports:1']);
    expect(parseMinAllocatable('').length).to.equal(0);
    expect(parseMinAllocatable('|cpus:0.01|').map(s => s.toString())).to.deep.equal(['cpus:0.01']);
    expect(() => parseMinAllocatable('cpus:-1')).to.throw();
  });

  it('defaults to Mesos: 1 s interval, cpus:0.01|mem:32, 5 s refuse, no offer timeout, GPU filter on', () => {
    const c = makeConfig();
    expect(c.allocationIntervalMs).to.equal(1000);
    expect(c.minAllocatable.map(s => s.toString())).to.deep.equal(['cpus:0.01', 'mem:32']);
    expect(c.defaultRefuseSeconds).to.equal(5);
    expect(c.offerTimeoutMs).to.equal(undefined);
    expect(c.filterGpuResources).to.equal(true);
    expect(c.fairnessExcludedResourceNames).to.deep.equal([]);
  });

  it('rejects a non-positive interval or offer timeout', () => {
    expect(() => makeConfig({ allocationIntervalMs: 0 })).to.throw(RangeError);
    expect(() => makeConfig({ offerTimeoutMs: 0 })).to.throw(RangeError);
  });
});
