import { expect } from 'chai';
import { toOciSeccomp } from '../../../../agent/isolation/seccomp-oci.ts';
import { syscallNumber, X86_64_SYSCALLS } from '../../../../agent/isolation/seccomp-syscalls.ts';
import { SeccompProfileError } from '../../../../agent/isolation/seccomp-types.ts';
import { parseSeccompProfile } from '../../../../agent/isolation/seccomp-validate.ts';

/** issuesOf returns the `path: message` lines of a rejected profile. */
function issuesOf(profile: unknown): string[] {
  try {
    parseSeccompProfile(profile, 'test');
  } catch (e) {
    expect(e).to.be.instanceOf(SeccompProfileError);
    return (e as SeccompProfileError).issues.map(i => `${i.path}: ${i.message}`);
  }
  throw new Error('profile was accepted');
}

const allow = (syscalls: unknown[]) => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls });

describe('seccomp syscall table', () => {
  it('knows the x86_64 numbers, including calls newer than the system headers', () => {
    expect(syscallNumber('read')).to.equal(0);
    expect(syscallNumber('pivot_root')).to.equal(155);
    expect(syscallNumber('clone3')).to.equal(435);
    expect(syscallNumber('mseal')).to.equal(462);
    expect(syscallNumber('uretprobe')).to.equal(335);
    expect(syscallNumber('socketcall')).to.equal(undefined); // i386 only
  });

  it('has unique numbers', () => {
    const numbers = [...X86_64_SYSCALLS.values()];
    expect(new Set(numbers).size).to.equal(numbers.length);
    expect(X86_64_SYSCALLS.size).to.be.greaterThan(380);
  });
});

describe('parseSeccompProfile', () => {
  it('accepts a Docker-style profile and fills the default architectures', () => {
    const f = parseSeccompProfile({
      comment: 'deny mkdir',
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    });
    expect(f.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(f.rules).to.deep.equal([
      { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
    ]);
    expect(f.warnings).to.deep.equal([]);
  });

  const rejected: [string, unknown, string][] = [
    [
      'an unknown syscall name, with its path',
      allow([{ names: ['mkdir', 'mkdri'], action: 'SCMP_ACT_ERRNO' }]),
      'syscalls[0].names[1]: unknown x86_64 system call "mkdri"',
    ],
    [
      'an i386-only name',
      allow([{ names: ['socketcall'], action: 'SCMP_ACT_ERRNO' }]),
      'syscalls[0].names[0]: unknown x86_64 system call "socketcall"',
    ],
    [
      'an unknown action',
      allow([{ names: ['mkdir'], action: 'SCMP_ACT_BOGUS' }]),
      'syscalls[0].action: unknown value "SCMP_ACT_BOGUS"',
    ],
    [
      'SCMP_ACT_NOTIFY, which needs a seccomp agent',
      allow([{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }]),
      'syscalls[0].action: unknown value "SCMP_ACT_NOTIFY"',
    ],
    [
      'an unknown default action',
      { defaultAction: 'ALLOW' },
      'defaultAction: unknown value "ALLOW"',
    ],
    ['a missing default action', { syscalls: [] }, 'defaultAction: is required'],
    [
      'errnoRet on an action that returns nothing',
      allow([{ names: ['mkdir'], action: 'SCMP_ACT_KILL', errnoRet: 1 }]),
      'syscalls[0].errnoRet: only SCMP_ACT_ERRNO and TRACE take one',
    ],
    [
      'an errnoRet out of range',
      allow([{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 70000 }]),
      'syscalls[0].errnoRet: must be an integer from 0 to 65535',
    ],
    [
      'an empty names list',
      allow([{ names: [], action: 'SCMP_ACT_ERRNO' }]),
      'syscalls[0].names: must be a non-empty list',
    ],
    [
      'an argument index past 5',
      allow([
        {
          names: ['clone'],
          action: 'SCMP_ACT_ERRNO',
          args: [{ index: 6, value: 1, op: 'SCMP_CMP_EQ' }],
        },
      ]),
      'syscalls[0].args[0].index: must be an integer from 0 to 5',
    ],
    [
      'an unknown operator',
      allow([
        { names: ['clone'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'EQ' }] },
      ]),
      'syscalls[0].args[0].op: unknown value "EQ"',
    ],
    [
      'valueTwo on a non-masked comparison',
      allow([
        {
          names: ['clone'],
          action: 'SCMP_ACT_ERRNO',
          args: [{ index: 0, value: 1, valueTwo: 3, op: 'SCMP_CMP_EQ' }],
        },
      ]),
      'syscalls[0].args[0].valueTwo: only SCMP_CMP_MASKED_EQ uses valueTwo',
    ],
    [
      'a misspelt top-level field',
      { defaultAction: 'SCMP_ACT_ALLOW', sycalls: [] },
      'sycalls: unknown or unsupported field',
    ],
    [
      'conditional rules',
      allow([
        { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      ]),
      'syscalls[0].includes: conditional rules',
    ],
    [
      'an architecture outside the x86 family',
      { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_AARCH64'] },
      'architectures[0]: unknown value "SCMP_ARCH_AARCH64"',
    ],
    [
      'a profile that allows nothing',
      { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] },
      'syscalls: the profile allows no system call',
    ],
    [
      'a second unconditional rule with another action (runc keeps the first)',
      allow([
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
        { names: ['mkdir'], action: 'SCMP_ACT_KILL_PROCESS' },
      ]),
      'syscalls[1].names[0]: mkdir already has a rule with another action at syscalls[0]',
    ],
  ];
  for (const [what, profile, issue] of rejected) {
    it(`rejects ${what}`, () => {
      expect(
        issuesOf(profile).some(i => i.startsWith(issue)),
        issuesOf(profile).join('\n'),
      ).to.equal(true);
    });
  }

  it('reports every problem of a profile at once, in the error message too', () => {
    const profile = allow([
      { names: ['nosuch'], action: 'SCMP_ACT_ERRNO' },
      { names: ['mkdir'], action: 'SCMP_ACT_WHAT' },
    ]);
    expect(issuesOf(profile)).to.have.length(2);
    expect(() => parseSeccompProfile(profile, "'p.json'")).to.throw(
      /invalid seccomp profile 'p.json': syscalls\[0\]\.names\[0\].*; syscalls\[1\]\.action/,
    );
  });

  it('accepts the same rule twice and conditional rules on one call', () => {
    const f = parseSeccompProfile(
      allow([
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO' },
        { name: 'mkdir', action: 'SCMP_ACT_ERRNO' },
        {
          names: ['clone'],
          action: 'SCMP_ACT_ERRNO',
          args: [{ index: 0, value: 0x10000000, valueTwo: 0x10000000, op: 'SCMP_CMP_MASKED_EQ' }],
        },
        {
          names: ['clone'],
          action: 'SCMP_ACT_LOG',
          args: [{ index: 1, value: 0, op: 'SCMP_CMP_NE' }],
        },
      ]),
    );
    expect(f.rules).to.have.length(4);
    expect(f.rules[1]).to.deep.equal({ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' });
  });

  it("takes the x86_64 entry of Docker's archMap", () => {
    const f = parseSeccompProfile({
      defaultAction: 'SCMP_ACT_ALLOW',
      archMap: [
        { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
        { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      ],
      syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', includes: {}, excludes: {} }],
    });
    expect(f.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it('warns about names too new for the libseccomp runc links here', () => {
    const f = parseSeccompProfile(allow([{ names: ['mseal', 'mkdir'], action: 'SCMP_ACT_ERRNO' }]));
    expect(f.warnings).to.have.length(1);
    expect(f.warnings[0]).to.match(/names\[0\]: mseal is newer than runc's libseccomp/);
  });
});

describe('toOciSeccomp', () => {
  it('writes the pure OCI form, with explicit valueTwo and no Docker keys', () => {
    const f = parseSeccompProfile({
      comment: 'x',
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW', comment: 'basics' },
        {
          names: ['personality'],
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }],
        },
      ],
    });
    expect(toOciSeccomp(f)).to.deep.equal({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW' },
        {
          names: ['personality'],
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 8, valueTwo: 0, op: 'SCMP_CMP_EQ' }],
        },
      ],
    });
  });

  it('drops rules that repeat the default action, as runc would skip them', () => {
    const f = parseSeccompProfile(
      allow([
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO' },
      ]),
    );
    expect(toOciSeccomp(f).syscalls.map(s => s.names[0])).to.deep.equal(['mkdir']);
  });
});
