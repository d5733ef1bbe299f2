import { expect } from 'chai';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SECCOMP_DENIED,
  DEFAULT_SECCOMP_PROFILE,
  defaultSeccompFilter,
} from '../../../../agent/isolation/seccomp-default.ts';
import { toOciSeccomp } from '../../../../agent/isolation/seccomp-oci.ts';
import type { SeccompDecision } from '../../../../agent/isolation/seccomp-select.ts';
import { SeccompIsolator, SeccompLaunchError } from '../../../../agent/isolation/seccomp-select.ts';
import { SeccompProfileError } from '../../../../agent/isolation/seccomp-types.ts';

const MKDIR_DENIED = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
};

function profileOf(d: SeccompDecision): string {
  return d.kind === 'filtered' ? d.profile : 'unconfined';
}

describe('the default seccomp profile', () => {
  it('validates cleanly: every name known, none too new for runc', () => {
    const f = defaultSeccompFilter();
    expect(f.defaultAction).to.equal('SCMP_ACT_ALLOW');
    expect(f.warnings).to.deep.equal([]);
  });

  it('denies kernel-global calls with EPERM', () => {
    for (const name of ['kexec_load', 'init_module', 'finit_module', 'delete_module', 'reboot']) {
      expect(DEFAULT_SECCOMP_DENIED).to.include(name);
    }
    for (const name of ['mount', 'umount2', 'swapon', 'swapoff', 'bpf', 'perf_event_open']) {
      expect(DEFAULT_SECCOMP_DENIED).to.include(name);
    }
    for (const name of ['ptrace', 'keyctl', 'add_key', 'request_key', 'unshare', 'setns']) {
      expect(DEFAULT_SECCOMP_DENIED).to.include(name);
    }
    const rule = toOciSeccomp(defaultSeccompFilter()).syscalls[0];
    expect(rule?.action).to.equal('SCMP_ACT_ERRNO');
    expect(rule?.errnoRet).to.equal(1);
  });

  it('leaves alone what runc calls after installing the filter', () => {
    const denied = DEFAULT_SECCOMP_PROFILE.syscalls.flatMap(r => ('args' in r ? [] : r.names));
    for (const name of [
      'execve',
      'capset',
      'setresuid',
      'setgroups',
      'prctl',
      'close_range',
      'clone',
    ]) {
      expect(denied).not.to.include(name);
    }
  });

  it('denies clone with any namespace flag, one masked rule per flag', () => {
    const clone = toOciSeccomp(defaultSeccompFilter()).syscalls.filter(s => s.names[0] === 'clone');
    expect(clone).to.have.length(7);
    const mask = clone.reduce((m, r) => m | (r.args?.[0]?.value ?? 0), 0);
    expect(mask).to.equal(0x7e020000); // NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
    for (const r of clone) expect(r.args?.[0]?.op).to.equal('SCMP_CMP_MASKED_EQ');
  });

  it('answers clone3 and io_uring with ENOSYS so libraries fall back', () => {
    const rule = toOciSeccomp(defaultSeccompFilter()).syscalls.find(s =>
      s.names.includes('clone3'),
    );
    expect(rule?.errnoRet).to.equal(38);
    expect(rule?.names).to.include('io_uring_setup');
  });
});

describe('SeccompIsolator (Mesos linux/seccomp prepare)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crl-seccomp-'));
    await writeFile(join(dir, 'no-mkdir.json'), JSON.stringify(MKDIR_DENIED));
    await mkdir(join(dir, 'team'));
    await writeFile(join(dir, 'team', 'strict.json'), JSON.stringify(MKDIR_DENIED));
    await writeFile(
      join(dir, 'typo.json'),
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdri'], action: 'SCMP_ACT_ERRNO' }],
      }),
    );
    await writeFile(join(dir, 'broken.json'), '{"defaultAction": ');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('gives a task without a request the built-in default', async () => {
    const iso = await SeccompIsolator.create({ profileDir: dir });
    const d = await iso.forTask(undefined);
    expect(profileOf(d)).to.equal('builtin');
  });

  it('uses a named default profile, or none when the default is unconfined', async () => {
    const named = await SeccompIsolator.create({
      profileDir: dir,
      defaultProfile: 'no-mkdir.json',
    });
    expect(profileOf(await named.forTask(undefined))).to.equal('no-mkdir.json');
    const none = await SeccompIsolator.create({ defaultProfile: 'unconfined' });
    expect((await none.forTask(undefined)).kind).to.equal('unconfined');
  });

  it('refuses to start with an invalid default profile', async () => {
    let err: unknown;
    try {
      await SeccompIsolator.create({ profileDir: dir, defaultProfile: 'typo.json' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SeccompProfileError);
    expect((err as Error).message).to.contain(
      'syscalls[0].names[0]: unknown x86_64 system call "mkdri"',
    );
  });

  it("loads a task's named profile, also from a subdirectory", async () => {
    const iso = await SeccompIsolator.create({ profileDir: dir });
    const d = await iso.forTask({ profileName: 'team/strict.json' });
    expect(d.kind === 'filtered' && d.seccomp.syscalls[0]?.names).to.deep.equal([
      'mkdir',
      'mkdirat',
    ]);
  });

  it('runs an unconfined task with no filter', async () => {
    const iso = await SeccompIsolator.create({ profileDir: dir });
    expect((await iso.forTask({ unconfined: true })).kind).to.equal('unconfined');
  });

  const failures: [string, { profileName?: string; unconfined?: boolean }, RegExp][] = [
    [
      'unconfined with a profile name',
      { profileName: 'no-mkdir.json', unconfined: true },
      /given even though 'unconfined'/,
    ],
    ['neither field', {}, /Missing Seccomp profile name/],
    ['unconfined: false and no name', { unconfined: false }, /Missing Seccomp profile name/],
    [
      'a profile that does not exist',
      { profileName: 'nope.json' },
      /cannot read seccomp profile 'nope.json'.*ENOENT/,
    ],
    [
      'a name that climbs out of the directory',
      { profileName: '../etc/passwd' },
      /must be a path inside/,
    ],
    ['an absolute name', { profileName: '/etc/passwd' }, /must be a path inside/],
  ];
  for (const [what, request, message] of failures) {
    it(`fails the launch for ${what}`, async () => {
      const iso = await SeccompIsolator.create({ profileDir: dir });
      let err: unknown;
      try {
        await iso.forTask(request);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(SeccompLaunchError);
      expect((err as Error).message).to.match(message);
    });
  }

  it('fails the launch for a profile that is not JSON or not valid', async () => {
    const iso = await SeccompIsolator.create({ profileDir: dir });
    for (const profileName of ['broken.json', 'typo.json']) {
      let err: unknown;
      try {
        await iso.forTask({ profileName });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(SeccompProfileError);
    }
  });

  it('fails a named profile when no directory is configured', async () => {
    const iso = await SeccompIsolator.create();
    let err: unknown;
    try {
      await iso.forTask({ profileName: 'x.json' });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.match(/no profile directory is configured/);
  });
});
