// The chart passes flags to `corral <subcommand>`; each must be one the CLI declares, or the pod
// would crash at start on a cluster. The declared flags are read from the real CLI's --help.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import type { Manifest } from './helm.ts';
import { container, find, render } from './helm.ts';
import { NON_DEFAULT_VALUES } from './values.ts';

function declaredFlags(subcommand: string): Set<string> {
  const r = spawnSync(process.execPath, ['cli/corral.ts', subcommand, '--help'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`corral ${subcommand} --help failed: ${r.stderr}`);
  return new Set(r.stdout.match(/--[a-z][a-z-]*/g) ?? []);
}

const WORKLOADS = [
  ['Deployment', 't-corral-apiserver', 'apiserver'],
  ['Deployment', 't-corral-controllers', 'controllers'],
  ['DaemonSet', 't-corral-agent', 'agent'],
] as const;

describe('charts/corral: the flags it passes exist in the CLI', () => {
  const renders: [string, Manifest[]][] = [];
  before(() => {
    renders.push(['default values', render()], ['non-default values', render(NON_DEFAULT_VALUES)]);
  });

  for (const [kind, name, subcommand] of WORKLOADS) {
    it(`passes \`corral ${subcommand}\` only flags it declares`, () => {
      const declared = declaredFlags(subcommand);
      expect(declared.size).to.be.greaterThan(3);
      for (const [label, objects] of renders) {
        const args = container(find(objects, kind, name)).args ?? [];
        expect(args[0], label).to.equal(subcommand);
        const passed = args.slice(1).map(a => a.split('=')[0] ?? '');
        expect(passed.length, label).to.be.greaterThan(0);
        for (const f of passed) {
          expect(declared.has(f), `${label}: ${f} is not a flag of corral ${subcommand}`).to.equal(
            true,
          );
        }
      }
    });
  }
});
