import { expect } from 'chai';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../../../../core/types/task-template.ts';
import {
  DEFAULT_PATH,
  imageProcess,
  resolveUser,
  RootfsError,
  secureJoin,
  UnsupportedImageError,
  type ContainerDefaults,
} from '../../../../agent/images/index.ts';
import { tempDir } from './builders.ts';

const image = (entrypoint?: string[], cmd?: string[]): ContainerDefaults => ({
  entrypoint,
  cmd,
  env: ['PATH=/bin', 'A=1'],
  workingDir: '/work',
  user: 'app',
});

describe('image process defaults (Mesos docker/runtime table)', () => {
  const E = ['/entry', 'e1'];
  const C = ['/cmd', 'c1'];
  const rows: [
    string,
    Command | undefined,
    string[] | undefined,
    string[] | undefined,
    string[] | 'error',
  ][] = [
    ['no command, Entrypoint and Cmd', undefined, E, C, ['/entry', 'e1', '/cmd', 'c1']],
    ['no command, Cmd only', undefined, undefined, C, ['/cmd', 'c1']],
    ['no command, Entrypoint only', undefined, E, undefined, ['/entry', 'e1']],
    ['no command, neither', undefined, undefined, undefined, 'error'],
    [
      'arguments replace Cmd after the Entrypoint',
      { shell: false, arguments: ['a1', 'a2'] },
      E,
      C,
      ['/entry', 'e1', 'a1', 'a2'],
    ],
    [
      'arguments replace Cmd[1..] without an Entrypoint',
      { shell: false, arguments: ['a1'] },
      undefined,
      C,
      ['/cmd', 'a1'],
    ],
    ['a value overrides the image', { shell: false, value: '/bin/x' }, E, C, ['/bin/x']],
    [
      'a value with argv (argv[0] included)',
      { shell: false, value: '/bin/x', arguments: ['x', '-v'] },
      E,
      C,
      ['/bin/x', '-v'],
    ],
    ['a shell command ignores the image', { value: 'echo hi' }, E, C, ['/bin/sh', '-c', 'echo hi']],
    ['a shell without a value', { shell: true }, E, C, 'error'],
  ];
  for (const [name, command, entrypoint, cmd, want] of rows) {
    it(name, () => {
      const run = (): readonly string[] => imageProcess(image(entrypoint, cmd), command).args;
      if (want === 'error') expect(run).to.throw(UnsupportedImageError);
      else expect(run()).to.deep.equal(want);
    });
  }

  it('merges env (task wins by name), keeps WorkingDir and User, lets the task set the user', () => {
    const p = imageProcess(image(['/e']), { shell: false, user: 'root' }, [
      { name: 'A', value: '2' },
      { name: 'B' },
    ]);
    expect(p.env).to.deep.equal([
      { name: 'PATH', value: '/bin' },
      { name: 'A', value: '2' },
      { name: 'B', value: '' },
    ]);
    expect(p.cwd).to.equal('/work');
    expect(p.user).to.equal('root');
    const d = imageProcess({
      entrypoint: ['/e'],
      cmd: undefined,
      env: [],
      workingDir: undefined,
      user: undefined,
    });
    expect(d.env).to.deep.equal([{ name: 'PATH', value: DEFAULT_PATH }]);
    expect(d.cwd).to.equal('/');
    expect(d.user).to.equal(undefined);
  });
});

describe('secureJoin and image users', () => {
  const root = join(tempDir('rootfs'), 'root');
  const host = join(root, '..', 'host-etc');
  before(() => {
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(host, { recursive: true });
    writeFileSync(
      join(root, 'etc/passwd'),
      'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n',
    );
    writeFileSync(
      join(root, 'etc/group'),
      'root:x:0:\napp:x:1001:\nwheel:x:10:app,other\nstaff:x:50:app\n',
    );
    writeFileSync(join(host, 'passwd'), 'evil:x:0:0::/:/bin/sh\n');
    symlinkSync('/etc', join(root, 'abs'));
    symlinkSync('../../../..', join(root, 'up'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
    symlinkSync('abs', join(root, 'chain'));
  });

  const joins: [string, string][] = [
    ['/etc/passwd', 'etc/passwd'],
    ['abs/passwd', 'etc/passwd'],
    ['chain/passwd', 'etc/passwd'],
    ['up/etc/passwd', 'etc/passwd'],
    ['../../host-etc/passwd', 'host-etc/passwd'],
    ['/missing/../etc', 'etc'],
  ];
  for (const [path, want] of joins) {
    it(`resolves ${path} inside the root`, async () => {
      expect(await secureJoin(root, path)).to.equal(join(root, want));
    });
  }

  it('stops a symlink loop', async () => {
    let err: unknown;
    try {
      await secureJoin(root, 'loop1/x');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RootfsError);
  });

  it('resolves user specs from the image /etc files', async () => {
    expect(await resolveUser(root, undefined)).to.deep.equal({
      uid: 0,
      gid: 0,
      additionalGids: [],
    });
    expect(await resolveUser(root, 'app')).to.deep.equal({
      uid: 1000,
      gid: 1001,
      additionalGids: [10, 50],
    });
    expect(await resolveUser(root, '1000:staff')).to.deep.equal({
      uid: 1000,
      gid: 50,
      additionalGids: [10],
    });
    expect(await resolveUser(root, '4242')).to.deep.equal({
      uid: 4242,
      gid: 0,
      additionalGids: [],
    });
    expect(await resolveUser(root, '4242:7')).to.deep.equal({
      uid: 4242,
      gid: 7,
      additionalGids: [],
    });
  });

  it('refuses unknown user and group names', async () => {
    for (const spec of ['nobody-here', 'app:nogroup']) {
      let err: unknown;
      try {
        await resolveUser(root, spec);
      } catch (e) {
        err = e;
      }
      expect(err, spec).to.be.instanceOf(RootfsError);
    }
  });
});
