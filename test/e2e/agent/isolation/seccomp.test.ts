import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeccompIsolator } from '../../../../agent/isolation/seccomp-select.ts';
import type { Bundle } from './runc-bundle.ts';
import { makeBundle, runcAvailable } from './runc-bundle.ts';

describe('seccomp filters under runc', function () {
  this.timeout(30_000);
  let dir = '';
  let bundle: Bundle;
  let isolator: SeccompIsolator;

  before(async function () {
    if (!runcAvailable()) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'crl-seccomp-e2e-'));
    bundle = await makeBundle(join(dir, 'bundle'));
    await writeFile(
      join(dir, 'no-mkdir.json'),
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
      }),
    );
    isolator = await SeccompIsolator.create({ profileDir: dir });
  });
  after(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  // unshare -U needs no capability, so only the filter can stop it; the container still runs.
  const probe = [
    'sh',
    '-c',
    'grep ^Seccomp: /proc/self/status; unshare -U true; echo userns=$?; echo alive',
  ];

  it('the default profile lets runc start the task and denies namespace creation', async () => {
    const d = await isolator.forTask(undefined);
    expect(d.kind).to.equal('filtered');
    const r = await bundle.run('crl-sc-default', {
      args: probe,
      seccomp: d.kind === 'filtered' ? d.seccomp : undefined,
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('Seccomp:\t2');
    expect(r.stdout).to.contain('userns=1');
    expect(r.stdout).to.contain('alive');
    expect(r.stderr).to.contain('Operation not permitted');
  });

  it('an unconfined task runs without a filter', async () => {
    const d = await isolator.forTask({ unconfined: true });
    expect(d.kind).to.equal('unconfined');
    const r = await bundle.run('crl-sc-unconfined', { args: probe });
    expect(r.stdout).to.contain('Seccomp:\t0');
    expect(r.stdout).to.contain('userns=0');
  });

  it("a task's named profile applies: mkdir fails with EPERM, touch still works", async () => {
    const d = await isolator.forTask({ profileName: 'no-mkdir.json' });
    const r = await bundle.run('crl-sc-named', {
      args: ['sh', '-c', 'mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?'],
      seccomp: d.kind === 'filtered' ? d.seccomp : undefined,
      mounts: [
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev'] },
      ],
    });
    expect(r.stdout).to.contain('mkdir=1');
    expect(r.stdout).to.contain('touch=0');
    expect(r.stderr).to.contain('Operation not permitted');
  });
});
