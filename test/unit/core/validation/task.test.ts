import { expect } from 'chai';
import type { TaskSpec } from '../../../../core/types/index.ts';
import { validateTask } from '../../../../core/validation/index.ts';

const base = (over: Partial<TaskSpec> = {}): TaskSpec => ({
  agent: 'node-1',
  framework: 'fw',
  role: 'eng',
  resources: { cpus: 1, mem: '1Gi', ports: '31000-31009' },
  image: 'redis:7',
  ...over,
});
const fields = (spec: TaskSpec): (string | undefined)[] => validateTask(spec).map(c => c.field);

describe('validateTask', () => {
  it('accepts an image task with no command', () => {
    expect(validateTask(base())).to.deep.equal([]);
  });

  describe('limits (Mesos validateResourceLimits)', () => {
    const cases: [string, Partial<TaskSpec>, string[]][] = [
      ['a limit equal to the request', { limits: { cpus: 1, mem: 1024 } }, []],
      ['an infinite limit', { limits: { mem: 'Infinity' } }, []],
      ['a cpu limit below the request', { limits: { cpus: '999m' } }, ['spec.limits.cpus']],
      [
        'a mem limit below the request, in other units',
        { limits: { mem: 1023 } },
        ['spec.limits.mem'],
      ],
      [
        'a limit without a request',
        { resources: { mem: '1Gi' }, limits: { cpus: 2 } },
        ['spec.resources.cpus'],
      ],
    ];
    for (const [name, over, want] of cases) {
      it(`${want.length === 0 ? 'accepts' : 'rejects'} ${name}`, () => {
        expect(fields(base(over))).to.deep.equal(want);
      });
    }
  });

  it('needs an image or a command, and a shell command needs its text', () => {
    const noImage = base();
    delete noImage.image;
    expect(fields(noImage)).to.deep.equal(['spec.command']);
    expect(fields({ ...noImage, command: { value: 'sleep 10' } })).to.deep.equal([]);
    expect(fields({ ...noImage, command: { arguments: ['x'] } })).to.deep.equal([
      'spec.command.value',
    ]);
    expect(fields({ ...noImage, command: { shell: false, arguments: ['x'] } })).to.deep.equal([
      'spec.command.value',
    ]);
    expect(fields(base({ command: { shell: false, arguments: ['--port', '1'] } }))).to.deep.equal(
      [],
    );
  });

  it('wants the health check member its type names, and no other', () => {
    expect(fields(base({ healthCheck: { type: 'TCP', tcp: { port: 1 } } }))).to.deep.equal([]);
    expect(fields(base({ healthCheck: { type: 'HTTP', tcp: { port: 1 } } }))).to.deep.equal([
      'spec.healthCheck.http',
      'spec.healthCheck.tcp',
    ]);
  });

  it('takes a seccomp profile or unconfined, not both and not neither', () => {
    expect(fields(base({ seccomp: { unconfined: true } }))).to.deep.equal([]);
    expect(fields(base({ seccomp: { profileName: 'p.json' } }))).to.deep.equal([]);
    expect(fields(base({ seccomp: { unconfined: true, profileName: 'p.json' } }))).to.deep.equal([
      'spec.seccomp.profileName',
    ]);
    expect(fields(base({ seccomp: {} }))).to.deep.equal(['spec.seccomp.profileName']);
  });

  it('gives each volume one source and its own container path', () => {
    const ok = { containerPath: 'a', hostPath: { path: '/a' } };
    expect(fields(base({ volumes: [ok] }))).to.deep.equal([]);
    expect(fields(base({ volumes: [{ containerPath: 'b' }] }))).to.deep.equal(['spec.volumes[0]']);
    expect(fields(base({ volumes: [{ ...ok, sandboxPath: { path: 'x' } }] }))).to.deep.equal([
      'spec.volumes[0].sandboxPath',
    ]);
    expect(fields(base({ volumes: [ok, ok] }))).to.deep.equal(['spec.volumes[1].containerPath']);
    const parent = { containerPath: 'c', sandboxPath: { type: 'PARENT' as const, path: 'x' } };
    expect(fields(base({ volumes: [parent] }))).to.deep.equal(['spec.volumes[0].sandboxPath.type']);
    expect(fields(base({ volumes: [parent], group: 'g' }))).to.deep.equal([]);
  });

  it('takes host ports from the requested ports', () => {
    expect(fields(base({ ports: [{ port: 31005 }] }))).to.deep.equal([]);
    expect(fields(base({ ports: [{ port: 8080 }] }))).to.deep.equal(['spec.ports[0].port']);
    expect(fields(base({ ports: [{ port: 31005, hostPort: 31005 }] }))).to.deep.equal([
      'spec.ports[0].hostPort',
    ]);
    const own = base({
      networkMode: 'own',
      ports: [
        { port: 8080, hostPort: 31001 },
        { port: 9090, hostPort: 40000 },
      ],
    });
    expect(fields(own)).to.deep.equal(['spec.ports[1].hostPort']);
  });

  it('checks the allocated resources the offer controller recorded', () => {
    const spec = base({
      allocatedResources: [
        { name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: '*' }] },
      ],
    });
    expect(fields(spec)).to.deep.equal(['spec.allocatedResources[0].reservations']);
  });
});
