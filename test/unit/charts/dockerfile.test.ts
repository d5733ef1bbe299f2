// The image is not built here (no Docker engine), so this checks what can go wrong without
// building it: that the build context holds every module `corral` loads, that the image runs
// `corral` on the Node major the project needs with runc and conmon, and that it agrees with the
// chart on the user it runs as.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR } from './helm.ts';

const ROOT = resolve('.');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map(l => l.trim())
  .filter(l => l !== '' && !l.startsWith('#'));

// A top-level .dockerignore entry (`test`, `*.log`, `**/*.md`) excludes a path when it names its
// first component or matches its file name; the file uses no other pattern form.
function excluded(path: string): boolean {
  const first = path.split('/')[0] ?? '';
  const base = path.split('/').at(-1) ?? '';
  return ignored.some(p => {
    const glob = p.replace(/^\*\*\//, '');
    if (!glob.includes('*')) return p === first || p === path;
    const re = new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
    return p.startsWith('**/') ? re.test(base) : re.test(first) && !path.includes('/');
  });
}

// Every relative import, static or dynamic, reachable from the entry point.
function reachableModules(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1] ?? '');
      if (existsSync(target)) queue.push(target);
      else throw new Error(`${relative(ROOT, file)} imports missing ${m[1] ?? ''}`);
    }
  }
  return [...seen].map(f => relative(ROOT, f)).sort();
}

describe('Dockerfile', () => {
  it('has every module cli/corral.ts loads in its build context', () => {
    const modules = reachableModules('cli/corral.ts');
    expect(modules.length).to.be.greaterThan(100);
    expect(modules.filter(excluded)).to.deep.equal([]);
    for (const needed of ['package.json', 'package-lock.json', 'crds/corral.dev_agents.yaml']) {
      expect(excluded(needed), needed).to.equal(false);
    }
    // the check itself must see exclusions
    expect(excluded('test/unit/charts/helm.ts')).to.equal(true);
    expect(excluded('agent/README.md')).to.equal(true);
  });

  it("runs corral on the Node major of package.json's engines, with runc and conmon", () => {
    const engines = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const major = /(\d+)/.exec(engines)?.[1];
    expect(dockerfile).to.match(new RegExp(`^ARG NODE_IMAGE=node:${major ?? 'x'}-`, 'm'));
    expect(dockerfile).to.match(/apt-get install[^\n]*\brunc\b[^\n]*\bconmon\b/);
    expect(dockerfile).to.include('npm install --omit=dev');
    expect(dockerfile).to.match(/^ENTRYPOINT \["node", "\/app\/cli\/corral.ts"\]$/m);
  });

  it('runs as the user the chart asks its non-root components to be', () => {
    const user = /^USER (\d+):(\d+)$/m.exec(dockerfile);
    expect(user?.slice(1)).to.deep.equal(['1000', '1000']);
    const helpers = readFileSync(join(CHART_DIR, 'templates', '_helpers.tpl'), 'utf8');
    const block = /define "corral.restrictedSecurityContext" -}}\n([\s\S]*?)\{\{- end/.exec(
      helpers,
    );
    const ctx = parse(block?.[1] ?? '') as { runAsUser: number; runAsGroup: number };
    expect([ctx.runAsUser, ctx.runAsGroup]).to.deep.equal([1000, 1000]);
  });
});
