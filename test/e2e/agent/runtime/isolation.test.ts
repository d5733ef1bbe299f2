import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OciSeccomp } from '../../../../agent/runtime/oci-spec.ts';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';
import type { RuntimeFixture } from './runtime-fixture.ts';
import { hostTask, startRuntime } from './runtime-fixture.ts';

const NO_MKDIR: OciSeccomp = {
  defaultAction: 'SCMP_ACT_ALLOW',
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
};

// interfaces lists the network interfaces named in /proc/net/dev as the container sees it.
const INTERFACES = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '";

async function hostInterfaces(): Promise<string[]> {
  return (await readFile('/proc/net/dev', 'utf8'))
    .split('\n')
    .slice(2)
    .map(l => l.split(':')[0]!.trim())
    .filter(n => n !== '');
}

describe('runc runtime: isolation (e2e, real runc + conmon)', function () {
  this.timeout(60_000);
  let f: RuntimeFixture;
  let scratch: string;

  before(async () => {
    f = await startRuntime();
    scratch = await mkdtemp(join(tmpdir(), 'crl-rt-scratch-'));
  });
  after(async () => {
    await f.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  async function run(spec: ContainerSpec): Promise<{ code: number; out: string; err: string }> {
    await f.runtime.create(spec);
    await f.runtime.start(spec.id);
    const s = await f.runtime.wait(spec.id);
    if (s.status !== 'exited') throw new Error(`unexpected state ${JSON.stringify(s)}`);
    const out = await f.runtime.readLogs(spec.id, { stream: 'stdout' });
    const err = await f.runtime.readLogs(spec.id, { stream: 'stderr' });
    await f.runtime.destroy(spec.id);
    return { code: s.exitCode, out, err };
  }

  it('a seccomp profile denying mkdir makes mkdir fail; without it mkdir works', async () => {
    const script = 'mkdir /tmp/x && echo made';
    const denied = await run(hostTask(f.newId('sc-deny'), script, { seccomp: NO_MKDIR }));
    expect(denied.code).to.equal(1);
    expect(denied.err).to.match(/Operation not permitted/);
    const allowed = await run(hostTask(f.newId('sc-allow'), script));
    expect(allowed).to.deep.include({ code: 0, out: 'made\n' });
  });

  it('a bind-mounted host dir written by one container is visible to the next', async () => {
    const vol = join(scratch, 'vol');
    await mkdir(vol);
    const volumes = [{ hostPath: vol, containerPath: '/data' }];
    const w = await run(hostTask(f.newId('vol-w'), 'echo from-first > /data/out.txt', { volumes }));
    expect(w.code).to.equal(0);
    const r = await run(hostTask(f.newId('vol-r'), 'cat /data/out.txt', { volumes }));
    expect(r).to.deep.include({ code: 0, out: 'from-first\n' });
    expect(await readFile(join(vol, 'out.txt'), 'utf8')).to.equal('from-first\n');
    const ro = [{ hostPath: vol, containerPath: 'in-sandbox', readOnly: true }];
    const denied = await run(
      hostTask(f.newId('vol-ro'), 'cat in-sandbox/out.txt; touch in-sandbox/y', { volumes: ro }),
    );
    expect(denied.out).to.equal('from-first\n');
    expect(denied.err).to.match(/Read-only file system/);
  });

  it('the no-image rootfs shows the host system read-only', async () => {
    const r = await run(hostTask(f.newId('ro'), 'test -x /bin/sh && touch /etc/x; touch /usr/x'));
    expect(r.code).to.not.equal(0);
    expect(r.err.match(/Read-only file system/g)).to.have.length(2);
  });

  it('own network namespace: the container sees only lo', async () => {
    const r = await run(hostTask(f.newId('net-own'), INTERFACES, { network: 'own' }));
    expect(r.out.trim().split('\n')).to.deep.equal(['lo']);
  });

  it("host network: the container sees the host's interfaces", async () => {
    // other tenants of this VM add and remove interfaces, so compare with snapshots around the run
    const before = await hostInterfaces();
    const r = await run(hostTask(f.newId('net-host'), INTERFACES, { network: 'host' }));
    const after = await hostInterfaces();
    const seen = r.out.trim().split('\n');
    expect(seen.length).to.be.above(1);
    for (const name of seen) expect([...before, ...after]).to.include(name);
    for (const name of before.filter(n => after.includes(n))) expect(seen).to.include(name);
  });

  it('runs an image rootfs through an overlay that leaves the image untouched', async () => {
    const image = join(scratch, 'image');
    await mkdir(join(image, 'bin'), { recursive: true });
    await mkdir(join(image, 'etc'));
    await copyFile('/bin/busybox', join(image, 'bin', 'busybox'));
    for (const t of ['sh', 'cat', 'echo', 'hostname', 'touch']) {
      await symlink('busybox', join(image, 'bin', t));
    }
    await writeFile(join(image, 'etc', 'motd'), 'from-image\n');
    const before = (await readdir(image)).sort();
    const script = 'cat /etc/motd; echo changed > /etc/motd; cat /etc/motd; hostname';
    const rootfs = { kind: 'image', path: image } as const;
    const r = await run({
      ...hostTask(f.newId('img'), script, { rootfs, hostname: 'imgbox' }),
      process: { args: ['/bin/sh', '-c', script], env: [{ name: 'PATH', value: '/bin' }] },
    });
    expect(r).to.deep.include({ code: 0, out: 'from-image\nchanged\nimgbox\n' });
    expect(await readFile(join(image, 'etc', 'motd'), 'utf8')).to.equal('from-image\n');
    expect((await readdir(image)).sort()).to.deep.equal(before);
    const ro = await run({
      ...hostTask(f.newId('img-ro'), 'touch /x', { rootfs: { ...rootfs, readonly: true } }),
      process: { args: ['/bin/sh', '-c', 'touch /x'], env: [{ name: 'PATH', value: '/bin' }] },
    });
    expect(ro.err).to.match(/Read-only file system/);
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mounts).to.not.contain(f.dir);
    expect(await stat(join(image, 'mnt')).catch(() => 'absent')).to.equal('absent');
  });
});
