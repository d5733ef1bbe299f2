import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startTestApiServer, type TestApiServer } from '../helpers/api-server.ts';
import { makeKubectl, type Kubectl } from '../helpers/kubectl.ts';

interface CrdFile {
  spec: {
    names: { plural: string; kind: string };
    scope: string;
    versions: { additionalPrinterColumns?: { name: string; priority?: number }[] }[];
  };
}

const CRDS: CrdFile[] = readdirSync('crds')
  .filter(f => f.endsWith('.yaml'))
  .map(f => parse(readFileSync(`crds/${f}`, 'utf8')) as CrdFile);

/** WRONG lists documents an operator might get wrong, and the field path the server must name. */
const WRONG: { name: string; yaml: string; field: RegExp }[] = [
  {
    name: 'a bad role name',
    yaml: 'apiVersion: corral.dev/v1alpha1\nkind: Role\nmetadata: {name: bad-role}\nspec: {role: "-eng", weight: 1}\n',
    field: /spec\.role/,
  },
  {
    name: 'a negative quantity',
    yaml: 'apiVersion: corral.dev/v1alpha1\nkind: Quota\nmetadata: {name: neg}\nspec: {role: neg, guarantees: {cpus: "-1"}}\n',
    field: /spec\.guarantees\.cpus/,
  },
  {
    name: 'guarantees above limits',
    yaml: 'apiVersion: corral.dev/v1alpha1\nkind: Quota\nmetadata: {name: over}\nspec: {role: over, guarantees: {cpus: 8}, limits: {cpus: 4}}\n',
    field: /spec\.guarantees\.cpus|spec\.limits\.cpus/,
  },
  {
    name: 'an unknown disk source type',
    yaml: readFileSync('samples/volume.yaml', 'utf8')
      .replace('type: MOUNT', 'type: TAPE')
      .replace('pg-main-data\n', 'tape-data\n'),
    field: /source\.type/,
  },
  {
    name: 'a missing required field',
    yaml: 'apiVersion: corral.dev/v1alpha1\nkind: Quota\nmetadata: {name: norole}\nspec: {guarantees: {cpus: 1}}\n',
    field: /spec\.role/,
  },
  {
    name: 'a wrong type',
    yaml: 'apiVersion: corral.dev/v1alpha1\nkind: Role\nmetadata: {name: wt}\nspec: {role: wt, weight: heavy}\n',
    field: /spec\.weight/,
  },
];

describe('Corral kinds through kubectl (e2e)', function () {
  this.timeout(120_000);
  let api: TestApiServer;
  let k: Kubectl;

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    k = makeKubectl(api.kubeconfigPath);
    await k.ok(['create', 'namespace', 'databases']);
  });
  after(() => api.stop());

  it('applies every sample in samples/', async () => {
    const out = await k.ok(['apply', '-f', 'samples/']);
    for (const crd of CRDS) {
      expect(out, crd.spec.names.kind).to.match(
        new RegExp(`${crd.spec.names.kind.toLowerCase()}\\.corral\\.dev/\\S+ created`),
      );
    }
  });

  it('shows the printer columns of every kind in kubectl get', async () => {
    for (const crd of CRDS) {
      const out = await k.ok(['get', crd.spec.names.plural, '-A']);
      const header = out.split('\n')[0] ?? '';
      const columns = (crd.spec.versions[0]?.additionalPrinterColumns ?? [])
        .filter(c => (c.priority ?? 0) === 0)
        .map(c => c.name.toUpperCase());
      for (const column of columns)
        expect(header, `${crd.spec.names.plural}: ${header}`).to.include(column);
      expect(
        out.split('\n').filter(l => l.trim() !== '').length,
        crd.spec.names.plural,
      ).to.be.greaterThan(1);
    }
  });

  it('selects the tasks of one agent with a field selector', async () => {
    const mine = await k.ok([
      'get',
      'tasks',
      '-A',
      '--field-selector',
      'spec.agent=node-a1',
      '-o',
      'name',
    ]);
    expect(mine.trim().split('\n')).to.have.length(1);
    const other = await k.run([
      'get',
      'tasks',
      '-A',
      '--field-selector',
      'spec.agent=node-zz',
      '-o',
      'name',
    ]);
    expect(other.stdout.trim()).to.equal('');
  });

  for (const bad of WRONG) {
    it(`rejects ${bad.name} with 422 naming the field`, async () => {
      const r = await k.run(['apply', '-f', '-'], bad.yaml);
      expect(r.code, r.stdout).to.not.equal(0);
      expect(r.stderr).to.match(/is invalid|Invalid value|Required value|Unsupported value/);
      expect(r.stderr).to.match(bad.field);
    });
  }
});
