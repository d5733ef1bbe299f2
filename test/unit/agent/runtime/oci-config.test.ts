import { expect } from 'chai';
import { ContainerSpecError } from '../../../../agent/runtime/errors.ts';
import type { BundleLayout } from '../../../../agent/runtime/oci-config.ts';
import { buildOciConfig, hostnameOf } from '../../../../agent/runtime/oci-config.ts';
import type { OciMount, OciSeccomp } from '../../../../agent/runtime/oci-spec.ts';
import { cgroupsPath, containerPaths } from '../../../../agent/runtime/paths.ts';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';

const LAYOUT: BundleLayout = {
  agentId: 'agent-1',
  rootfsPath: '/var/lib/corral/containers/c1/rootfs',
  sandboxDir: '/var/lib/corral/containers/c1/sandbox',
  hostBinds: ['/usr', '/etc'],
  etcFiles: [],
  policy: { enableCfs: false, pidsLimit: 4096 },
};

function spec(over: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    id: 'c1',
    process: { args: ['/bin/sh', '-c', 'true'] },
    rootfs: { kind: 'host' },
    resources: { requests: { cpus: 1, mem: 128 } },
    network: 'own',
    ...over,
  };
}

const dest = (mounts: OciMount[]) => mounts.map(m => m.destination);
const byDest = (mounts: OciMount[], d: string) => mounts.find(m => m.destination === d);

describe('buildOciConfig', () => {
  it('sets the absolute cgroupsPath /corral/<agent>/<id> and the cgroup numbers', () => {
    const c = buildOciConfig(spec(), LAYOUT);
    expect(c.linux.cgroupsPath).to.equal('/corral/agent-1/c1');
    expect(c.linux.resources.cpu).to.deep.equal({ shares: 1024 });
    expect(c.linux.resources.memory).to.deep.equal({ reservation: 128 << 20, limit: 128 << 20 });
    expect(c.linux.resources.pids).to.deep.equal({ limit: 4096 });
  });

  it('always unshares pid, ipc, uts and mount; network only in own mode', () => {
    const types = (network: ContainerSpec['network']) =>
      buildOciConfig(spec({ network }), LAYOUT).linux.namespaces.map(n => n.type);
    expect(types('own')).to.have.members(['pid', 'ipc', 'uts', 'mount', 'network']);
    expect(types('host')).to.have.members(['pid', 'ipc', 'uts', 'mount']);
  });

  it('mounts kernel filesystems, ro host binds, /tmp, the sandbox, then volumes', () => {
    const c = buildOciConfig(
      spec({
        volumes: [
          { hostPath: '/srv/data', containerPath: '/data' },
          { hostPath: '/srv/cfg', containerPath: 'conf', readOnly: true },
        ],
      }),
      LAYOUT,
    );
    expect(dest(c.mounts)).to.deep.equal([
      '/proc',
      '/dev',
      '/dev/pts',
      '/dev/shm',
      '/dev/mqueue',
      '/sys',
      '/sys/fs/cgroup',
      '/usr',
      '/etc',
      '/tmp',
      '/mnt/mesos/sandbox',
      '/data',
      '/mnt/mesos/sandbox/conf',
    ]);
    expect(byDest(c.mounts, '/sys')?.options).to.include('ro');
    expect(byDest(c.mounts, '/usr')).to.deep.equal({
      destination: '/usr',
      type: 'bind',
      source: '/usr',
      options: ['rbind', 'ro'],
    });
    expect(byDest(c.mounts, '/mnt/mesos/sandbox')).to.include({ source: LAYOUT.sandboxDir });
    expect(byDest(c.mounts, '/mnt/mesos/sandbox')?.options).to.deep.equal(['rbind', 'rw']);
    expect(byDest(c.mounts, '/tmp')).to.include({ type: 'tmpfs' });
    expect(byDest(c.mounts, '/data')?.options).to.deep.equal(['rbind', 'rw']);
    expect(byDest(c.mounts, '/mnt/mesos/sandbox/conf')?.options).to.deep.equal(['rbind', 'ro']);
  });

  it('makes the skeleton root read-only, an image root writable unless asked', () => {
    expect(buildOciConfig(spec(), LAYOUT).root).to.deep.equal({
      path: LAYOUT.rootfsPath,
      readonly: true,
    });
    const image = { kind: 'image', path: '/images/busybox' } as const;
    expect(buildOciConfig(spec({ rootfs: image }), LAYOUT).root.readonly).to.equal(false);
    const ro = { ...image, readonly: true };
    expect(buildOciConfig(spec({ rootfs: ro }), LAYOUT).root.readonly).to.equal(true);
  });

  it('runs in the sandbox with PATH and MESOS_SANDBOX, caller env overriding', () => {
    const p = buildOciConfig(
      spec({ process: { args: ['x'], env: [{ name: 'PATH', value: '/bin' }, { name: 'A' }] } }),
      LAYOUT,
    ).process;
    expect(p.cwd).to.equal('/mnt/mesos/sandbox');
    expect(p.env).to.deep.equal(['PATH=/bin', 'MESOS_SANDBOX=/mnt/mesos/sandbox', 'A=']);
    expect(p.user).to.deep.equal({ uid: 0, gid: 0 });
    expect(p.terminal).to.equal(false);
    expect(p.noNewPrivileges).to.equal(true);
  });

  it('never grants CAP_SYS_RESOURCE nor a negative oomScoreAdj', () => {
    const burst = spec({ resources: { requests: { mem: 64 }, limits: { mem: 'Infinity' } } });
    const c = buildOciConfig(burst, {
      ...LAYOUT,
      policy: { ...LAYOUT.policy, hostMemoryBytes: 1 << 30 },
    });
    expect(c.process.capabilities.bounding).to.not.include('CAP_SYS_RESOURCE');
    expect(c.process.oomScoreAdj).to.equal(938);
    expect(buildOciConfig(spec(), LAYOUT).process).to.not.have.property('oomScoreAdj');
    expect(JSON.stringify(c)).to.not.match(/apparmor/i);
  });

  it('places the given seccomp filter as is, and none when unconfined', () => {
    const seccomp: OciSeccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    };
    expect(buildOciConfig(spec({ seccomp }), LAYOUT).linux.seccomp).to.equal(seccomp);
    expect(buildOciConfig(spec(), LAYOUT).linux).to.not.have.property('seccomp');
  });

  it('takes the hostname from the spec or derives a valid one from the id', () => {
    expect(buildOciConfig(spec({ hostname: 'web-1' }), LAYOUT).hostname).to.equal('web-1');
    expect(hostnameOf(spec({ id: 'task_1+x' }))).to.equal('task-1-x');
  });

  const BAD: [string, Partial<ContainerSpec>, string][] = [
    ['empty args', { process: { args: [] } }, 'process.args'],
    ['relative cwd', { process: { args: ['x'], cwd: 'tmp' } }, 'process.cwd'],
    [
      'env name with =',
      { process: { args: ['x'], env: [{ name: 'A=B' }] } },
      'process.env[0].name',
    ],
    [
      'volume with ..',
      { volumes: [{ hostPath: '/a', containerPath: '../x' }] },
      'volumes[0].containerPath',
    ],
    [
      'volume on /proc',
      { volumes: [{ hostPath: '/a', containerPath: '/proc/x' }] },
      'volumes[0].containerPath',
    ],
    [
      'volume on /',
      { volumes: [{ hostPath: '/a', containerPath: '/' }] },
      'volumes[0].containerPath',
    ],
    [
      'relative host path',
      { volumes: [{ hostPath: 'a', containerPath: '/a' }] },
      'volumes[0].hostPath',
    ],
    ['bad hostname', { hostname: '-x' }, 'hostname'],
  ];
  for (const [name, over, field] of BAD) {
    it(`rejects ${name}`, () => {
      expect(() => buildOciConfig(spec(over), LAYOUT))
        .to.throw(ContainerSpecError)
        .with.property('field', field);
    });
  }
});

describe('container paths', () => {
  it('lays a container out under <workDir>/containers/<id>', () => {
    const p = containerPaths('/w', 'crl-a');
    expect(p.config).to.equal('/w/containers/crl-a/bundle/config.json');
    expect(p.exitFile).to.equal('/w/containers/crl-a/conmon/exit');
    expect(p.defaultSandbox).to.equal('/w/containers/crl-a/sandbox');
  });

  it('refuses ids that are not safe directory names or runc ids', () => {
    for (const id of ['', '..', '.x', 'a/b', 'a b', 'x'.repeat(129)]) {
      expect(() => containerPaths('/w', id), id).to.throw(ContainerSpecError);
    }
    expect(() => cgroupsPath('agent/../x', 'c1')).to.throw(ContainerSpecError);
  });
});
