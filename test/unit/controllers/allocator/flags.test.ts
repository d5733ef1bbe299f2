import { expect } from 'chai';
import { allocatorConfig, parseDuration } from '../../../../controllers/allocator/flags.ts';
import { makeConfig } from '../../../../controllers/allocator/config.ts';

describe('allocator: command-line flags', () => {
  const durations: [string, number][] = [
    ['1s', 1000],
    ['200ms', 200],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1secs', 1000],
    ['5mins', 300_000],
    ['3', 3000],
  ];
  for (const [text, ms] of durations) {
    it(`reads the duration ${text} as ${ms} ms`, () => {
      expect(parseDuration(text)).to.equal(ms);
    });
  }

  it('rejects what is not a duration', () => {
    for (const bad of ['', 'fast', '1d', '-1s', '1 s s']) {
      expect(() => parseDuration(bad), bad).to.throw(RangeError);
    }
  });

  it('turns every flag into the configuration', () => {
    const config = makeConfig(
      allocatorConfig({
        allocationInterval: '200ms',
        fairnessExcludedResourceNames: 'gpus, fpgas',
        minAllocatableResources: 'cpus:1;mem:64|disk:10',
        offerTimeout: '30s',
        defaultRefuseSeconds: '2.5',
      }),
    );
    expect(config.allocationIntervalMs).to.equal(200);
    expect(config.fairnessExcludedResourceNames).to.deep.equal(['gpus', 'fpgas']);
    expect(config.minAllocatable.map(q => q.toString())).to.deep.equal([
      'cpus:1; mem:64',
      'disk:10',
    ]);
    expect(config.offerTimeoutMs).to.equal(30_000);
    expect(config.defaultRefuseSeconds).to.equal(2.5);
  });

  it('leaves absent flags to the defaults: 1 s batches, cpus:0.01|mem:32, no offer timeout', () => {
    const config = makeConfig(allocatorConfig({}));
    expect(config.allocationIntervalMs).to.equal(1000);
    expect(config.offerTimeoutMs).to.equal(undefined);
    expect(config.defaultRefuseSeconds).to.equal(5);
    expect(config.minAllocatable.map(q => q.toString())).to.deep.equal(['cpus:0.01', 'mem:32']);
  });

  it('names the flag in the error', () => {
    expect(() => allocatorConfig({ allocationInterval: 'soon' })).to.throw(/--allocation-interval/);
    expect(() => allocatorConfig({ minAllocatableResources: 'cpus:x' })).to.throw(
      /--min-allocatable-resources/,
    );
    expect(() => allocatorConfig({ defaultRefuseSeconds: 'never' })).to.throw(
      /--default-refuse-seconds/,
    );
    expect(() => allocatorConfig({ allocationInterval: '0s' })).to.throw(/allocationIntervalMs/);
  });
});
