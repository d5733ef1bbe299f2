import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { corralKinds } from '../../../core/client/index.ts';
import type { Agent } from '../../../core/types/agent.ts';
import { LEGACY_AGENT_API_ANNOTATION } from '../../../agent/registration/agent-spec.ts';
import { RegistrationRefusedError } from '../../../agent/registration/register.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { startAgentFixture } from './agent-fixture.ts';

const BASE = 'cpus:2;mem:1024;disk:2048;ports:[31000-31100]';

describe('agent: re-registration under the reconfiguration policy (e2e)', function () {
  this.timeout(60_000);
  let f: AgentFixture;

  before(async () => {
    f = await startAgentFixture({
      resources: BASE,
      attributes: 'rack:r1;zone:a',
      faultDomain: 'eu/eu-1',
    });
  });
  after(() => f.stop());

  const get = (): Promise<Agent> => f.client.for(corralKinds.agents).get({ name: f.name });
  const ready = (a: Agent) => a.status?.conditions?.find(c => c.type === 'Ready');

  it('registers the given resources, attributes and fault domain', async () => {
    const a = await get();
    expect(a.spec.resources).to.deep.equal({
      cpus: '2',
      mem: '1024',
      disk: '2048',
      ports: '31000-31100',
    });
    expect(a.spec.attributes).to.deep.equal({ rack: 'r1', zone: 'a' });
    expect(a.spec.faultDomain).to.deep.equal({ region: 'eu', zone: 'eu-1' });
    expect(a.spec.reconfigurationPolicy).to.equal('equal');
  });

  it('publishes its API in status.apiEndpoint and drops the annotation older agents used', async () => {
    const first = await get();
    expect(first.status?.apiEndpoint).to.equal(f.agent?.apiUrl);
    expect(first.status?.apiEndpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.metadata.annotations ?? {}).to.not.have.property(LEGACY_AGENT_API_ANNOTATION);
    // a record as an agent before status.apiEndpoint left it: the URL in an annotation
    await f.agent?.stop();
    const old = await get();
    await f.client.for(corralKinds.agents).update({
      ...old,
      metadata: {
        ...old.metadata,
        annotations: { ...old.metadata.annotations, [LEGACY_AGENT_API_ANNOTATION]: 'http://x' },
      },
    });
    const again = await f.start();
    const a = await get();
    expect(a.status?.apiEndpoint).to.equal(again.apiUrl);
    expect(a.metadata.annotations ?? {}).to.not.have.property(LEGACY_AGENT_API_ANNOTATION);
  });

  it('a graceful stop marks the agent not ready and leaves the record', async () => {
    await f.agent?.stop();
    const r = ready(await get());
    expect(r?.status).to.equal('False');
    expect(r?.reason).to.equal('AgentStopped');
  });

  it('refuses changed resources under equal, with a clear condition', async () => {
    const err = await f
      .start({ resources: 'cpus:4;mem:1024;disk:2048;ports:[31000-31100]' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RegistrationRefusedError);
    expect((err as Error).message).to.contain('resources cannot change under the equal');
    const r = ready(await get());
    expect(r?.status).to.equal('False');
    expect(r?.reason).to.equal('RegistrationRefused');
    expect(r?.message).to.contain('spec.resources');
    expect((await get()).spec.resources?.['cpus']).to.equal('2');
  });

  it('accepts grown resources and a new attribute under additive', async () => {
    await f.start({
      resources: 'cpus:4;mem:2048;disk:2048;ports:[31000-31100]',
      attributes: 'rack:r1;zone:a;ssd:true',
      reconfigurationPolicy: 'additive',
    });
    const a = await eventually(async () => {
      const x = await get();
      expect(ready(x)?.status).to.equal('True');
      return x;
    });
    expect(a.spec.resources?.['cpus']).to.equal('4');
    expect(a.spec.attributes?.['ssd']).to.equal('true');
    await f.agent?.stop();
  });

  it('refuses shrunk resources under additive', async () => {
    const err = await f
      .start({
        resources: 'cpus:1;mem:2048;disk:2048;ports:[31000-31100]',
        reconfigurationPolicy: 'additive',
      })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RegistrationRefusedError);
    expect((err as Error).message).to.contain('resources can only grow');
  });

  it('`corral agent` exits 1 naming what is missing on a host without runc and conmon', async () => {
    const child = spawn(
      process.execPath,
      [
        'cli/corral.ts',
        'agent',
        '--kubeconfig',
        f.api.kubeconfigPath,
        '--name',
        f.name,
        '--work-dir',
        `${f.dir}/other`,
      ],
      { env: { ...process.env, PATH: '/nonexistent' } },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise(r => child.once('exit', r));
    expect(code).to.equal(1);
    expect(err).to.contain('corral agent: cannot run containers on this host; missing:');
    expect(err).to.contain('runc (runc not found on PATH)');
    expect(err).to.contain('conmon (conmon not found on PATH)');
  });
});
