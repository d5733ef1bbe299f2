import { expect } from 'chai';
import { startTestApiServer, type TestApiServer } from '../helpers/api-server.ts';
import { eventually } from '../helpers/eventually.ts';
import { makeKubectl, type Kubectl } from '../helpers/kubectl.ts';

const MULTI = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  labels: {app: demo}
spec:
  size: 3
  color: red
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w2
spec:
  size: 7
`;

describe('kubectl against the API server (e2e)', function () {
  this.timeout(120_000);
  let api: TestApiServer;
  let k: Kubectl;

  before(async () => {
    api = await startTestApiServer({ crdDir: 'test/fixtures/crds' });
    k = makeKubectl(api.kubeconfigPath);
  });
  after(() => api.stop());

  it('creates a namespace and lists it', async () => {
    expect(await k.ok(['create', 'namespace', 'demo'])).to.match(/namespace\/demo created/);
    const out = await k.ok(['get', 'namespaces']);
    expect(out).to.match(/^NAME\s+STATUS\s+AGE/m);
    expect(out).to.match(/^demo\s+Active\s+/m);
  });

  it('applies a multi-document YAML and shows printer columns', async () => {
    const applied = await k.ok(['apply', '-n', 'demo', '-f', '-'], MULTI);
    expect(applied).to.match(/widget.example.com\/w1 created/);
    expect(applied).to.match(/widget.example.com\/w2 created/);
    const table = await k.ok(['get', 'widgets', '-n', 'demo']);
    expect(table).to.match(/^NAME\s+SIZE\s+COLOR\s+AGE/m);
    expect(table).to.match(/^w1\s+3\s+red\s+\d+s/m);
    const wide = await k.ok(['get', 'wd', '-n', 'demo', '-o', 'wide']);
    expect(wide).to.match(/PHASE/);
  });

  it('prints YAML with server fields and defaults', async () => {
    const yaml = await k.ok(['get', 'widget', 'w1', '-n', 'demo', '-o', 'yaml']);
    expect(yaml).to.match(/uid: [0-9a-f-]{36}/);
    expect(yaml).to.match(/replicas: 1/);
    expect(yaml).to.match(/resourceVersion: "\d+"/);
  });

  it('get -w sees a later change', async () => {
    const w = k.watch(['get', 'widgets', '-n', 'demo', '-w']);
    try {
      await eventually(() => expect(w.output()).to.match(/w2/), 15_000);
      await k.ok([
        'patch',
        'widget',
        'w2',
        '-n',
        'demo',
        '--type=merge',
        '-p',
        '{"spec":{"size":42}}',
      ]);
      await eventually(() => expect(w.output()).to.match(/w2\s+42/), 15_000);
    } finally {
      w.stop();
    }
  });

  it('patches with --type=json and labels', async () => {
    await k.ok([
      'patch',
      'widget',
      'w1',
      '-n',
      'demo',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/color","value":"blue"}]',
    ]);
    await k.ok(['label', 'widget', 'w1', '-n', 'demo', 'tier=gold']);
    const out = await k.ok([
      'get',
      'widgets',
      '-n',
      'demo',
      '-l',
      'tier=gold',
      '-o',
      'jsonpath={.items[*].spec.color}',
    ]);
    expect(out).to.equal('blue');
  });

  it('applies again (update path) and server-side', async () => {
    const changed = MULTI.replace('size: 3', 'size: 4');
    expect(await k.ok(['apply', '-n', 'demo', '-f', '-'], changed)).to.match(/w1 configured/);
    const ssa = changed.replace('size: 7', 'size: 8');
    expect(await k.ok(['apply', '--server-side', '-n', 'demo', '-f', '-'], ssa)).to.match(
      /serverside-applied/,
    );
    expect(
      await k.ok(['get', 'widget', 'w2', '-n', 'demo', '-o', 'jsonpath={.spec.size}']),
    ).to.equal('8');
  });

  it('keeps an object with a finalizer until the finalizer is removed', async () => {
    await k.ok([
      'patch',
      'widget',
      'w2',
      '-n',
      'demo',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    const del = await k.run(['delete', 'widget', 'w2', '-n', 'demo', '--wait=false']);
    expect(del.code).to.equal(0);
    const still = await k.ok([
      'get',
      'widget',
      'w2',
      '-n',
      'demo',
      '-o',
      'jsonpath={.metadata.deletionTimestamp}',
    ]);
    expect(still).to.match(/^\d{4}-/);
    await k.ok([
      'patch',
      'widget',
      'w2',
      '-n',
      'demo',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    await eventually(async () => {
      const r = await k.run(['get', 'widget', 'w2', '-n', 'demo']);
      expect(r.stderr).to.match(/NotFound/);
    });
  });

  it('applies a Namespace twice (strategic merge patch on a built-in kind)', async () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: applied\n  labels: {team: a}\n';
    expect(await k.ok(['apply', '-f', '-'], ns)).to.match(/namespace\/applied created/);
    expect(await k.ok(['apply', '-f', '-'], ns.replace('team: a', 'team: b'))).to.match(
      /configured/,
    );
    expect(await k.ok(['get', 'ns', 'applied', '-o', 'jsonpath={.metadata.labels.team}'])).to.equal(
      'b',
    );
  });

  it('explains fields, waits for a CRD condition and describes an object', async () => {
    expect(await k.ok(['explain', 'widgets.spec'])).to.match(/size\s+<integer>/);
    await k.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    expect(await k.ok(['describe', 'widget', 'w1', '-n', 'demo'])).to.match(/Name:\s+w1/);
  });

  it("prints the server's message for errors", async () => {
    const bad = await k.run(
      ['apply', '-n', 'demo', '-f', '-'],
      MULTI.replace('size: 3', 'size: 300'),
    );
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.match(/spec.size/);
    const strategic = await k.run([
      'patch',
      'widget',
      'w1',
      '-n',
      'demo',
      '-p',
      '{"spec":{"size":1}}',
    ]);
    expect(strategic.stderr).to.match(/application\/strategic-merge-patch\+json is not supported/);
    const missing = await k.run(['get', 'widget', 'nope', '-n', 'demo']);
    expect(missing.stderr).to.match(
      /Error from server \(NotFound\): widgets.example.com "nope" not found/,
    );
  });
});
