import { expect } from 'chai';
import type { CgroupPolicy } from '../../../../agent/runtime/cgroup-resources.ts';
import { cgroupSettings } from '../../../../agent/runtime/cgroup-resources.ts';
import { ContainerSpecError } from '../../../../agent/runtime/errors.ts';
import type { OciCpu, OciMemory } from '../../../../agent/runtime/oci-spec.ts';
import type { ContainerResources } from '../../../../agent/runtime/types.ts';

const MiB = 1 << 20;
const POLICY: CgroupPolicy = { enableCfs: false, pidsLimit: 4096 };

interface Row {
  readonly name: string;
  readonly res: ContainerResources;
  readonly policy?: Partial<CgroupPolicy>;
  readonly cpu?: OciCpu;
  readonly memory?: OciMemory;
  readonly oomScoreAdj?: number;
}

// Mesos 1.10 (mesos-features §7.3): shares from the request, quota from the limit, soft memory
// limit from the request, hard from the limit (or the request when there is none).
const ROWS: Row[] = [
  {
    name: 'requests only: shares and hard = soft = request, no quota',
    res: { requests: { cpus: 1, mem: 256 } },
    cpu: { shares: 1024 },
    memory: { reservation: 256 * MiB, limit: 256 * MiB },
  },
  {
    name: 'fractional cpu request scales shares',
    res: { requests: { cpus: '0.5', mem: '1Gi' } },
    cpu: { shares: 512 },
    memory: { reservation: 1024 * MiB, limit: 1024 * MiB },
  },
  {
    name: 'a tiny cpu request still gets the minimum 2 shares',
    res: { requests: { cpus: '1m' } },
    cpu: { shares: 2 },
  },
  {
    name: 'finite cpu limit: quota per 100 ms period',
    res: { requests: { cpus: '0.25' }, limits: { cpus: '1.5' } },
    cpu: { shares: 256, period: 100_000, quota: 150_000 },
  },
  {
    name: 'cpu limit equal to request 0.2',
    res: { requests: { cpus: '0.2' }, limits: { cpus: '0.2' } },
    cpu: { shares: 204, period: 100_000, quota: 20_000 },
  },
  {
    name: 'infinite cpu limit: quota -1 (no cap)',
    res: { requests: { cpus: 2 }, limits: { cpus: 'Infinity' } },
    cpu: { shares: 2048, period: 100_000, quota: -1 },
  },
  {
    name: 'a limit under 10m cpus gets the minimum 1 ms quota',
    res: { requests: { cpus: '1m' }, limits: { cpus: '5m' } },
    cpu: { shares: 2, period: 100_000, quota: 1_000 },
  },
  {
    name: '--cgroups_enable_cfs caps at the request when there is no limit',
    res: { requests: { cpus: '0.5' } },
    policy: { enableCfs: true },
    cpu: { shares: 512, period: 100_000, quota: 50_000 },
  },
  {
    name: 'finite memory limit above the request',
    res: { requests: { mem: 64 }, limits: { mem: '512Mi' } },
    memory: { reservation: 64 * MiB, limit: 512 * MiB },
  },
  {
    name: 'infinite memory limit',
    res: { requests: { mem: 64 }, limits: { mem: 'Infinity' } },
    memory: { reservation: 64 * MiB, limit: -1 },
  },
  {
    name: 'memory below 32 MB is raised to the Mesos minimum',
    res: { requests: { mem: 8 }, limits: { mem: 16 } },
    memory: { reservation: 32 * MiB, limit: 32 * MiB },
  },
  {
    name: 'fractional MB rounds down to whole bytes',
    res: { requests: { mem: '100.5' } },
    memory: { reservation: 100.5 * MiB, limit: 100.5 * MiB },
  },
  {
    name: 'burstable memory gets Mesos OOM priority from the host size',
    res: { requests: { mem: 1024 }, limits: { mem: 2048 } },
    policy: { hostMemoryBytes: 4096 * MiB },
    memory: { reservation: 1024 * MiB, limit: 2048 * MiB },
    oomScoreAdj: 750,
  },
  {
    name: 'guaranteed memory (soft = hard) keeps oom_score_adj unset',
    res: { requests: { mem: 1024 } },
    policy: { hostMemoryBytes: 4096 * MiB },
    memory: { reservation: 1024 * MiB, limit: 1024 * MiB },
  },
];

describe('cgroupSettings (Mesos requests vs limits on cgroup v1)', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const got = cgroupSettings(row.res, { ...POLICY, ...row.policy });
      expect(got.resources.cpu).to.deep.equal(row.cpu);
      expect(got.resources.memory).to.deep.equal(row.memory);
      expect(got.oomScoreAdj).to.equal(row.oomScoreAdj);
      expect(got.resources.pids).to.deep.equal({ limit: 4096 });
      expect(got.resources.devices).to.deep.equal([{ allow: false, access: 'rwm' }]);
    });
  }

  it('never yields a negative oom_score_adj, even for a request above host memory', () => {
    const got = cgroupSettings(
      { requests: { mem: 8192 }, limits: { mem: 'Infinity' } },
      { ...POLICY, hostMemoryBytes: 4096 * MiB },
    );
    expect(got.oomScoreAdj).to.equal(0);
  });

  it('takes the pids limit from the spec over the default, and 0 means none', () => {
    expect(cgroupSettings({ requests: {}, pids: 50 }, POLICY).resources.pids).to.deep.equal({
      limit: 50,
    });
    expect(cgroupSettings({ requests: {}, pids: 0 }, POLICY).resources).to.not.have.property(
      'pids',
    );
  });

  it('ignores resources other than cpus and mem', () => {
    const got = cgroupSettings({ requests: { disk: 1024, ports: '31000-31001' } }, POLICY);
    expect(got.resources).to.not.have.any.keys('cpu', 'memory');
  });

  it('rejects a malformed quantity as a ContainerSpecError naming the field', () => {
    expect(() => cgroupSettings({ requests: { cpus: 'lots' } }, POLICY))
      .to.throw(ContainerSpecError)
      .with.property('field', 'resources.cpus');
    expect(() => cgroupSettings({ requests: { mem: 1 }, limits: { mem: '-5' } }, POLICY))
      .to.throw(ContainerSpecError)
      .with.property('field', 'limits.mem');
  });
});
