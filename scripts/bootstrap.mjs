#!/usr/bin/env node
// Bootstrap for `npm start` and `npm test` on a fresh machine that has only Node and npm.
// Plain JavaScript on purpose: it runs on whatever Node the machine has (20+), before our
// dependencies (including the pinned Node 24) exist. It installs npm dependencies when they are
// missing or stale, then the system packages the chosen command needs, from Debian's archive.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';

/** Debian packages each mode needs, keyed by the command that proves the package is there. */
const NEEDS = {
  start: [{ cmd: 'etcd', pkg: 'etcd-server' }],
  test: [
    { cmd: 'etcd', pkg: 'etcd-server' },
    { cmd: 'kubectl', pkg: 'kubernetes-client' },
  ],
};

function log(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function npmDepsStale() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || !existsSync(join(root, 'node_modules', 'node', 'bin', 'node')))
    return true;
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

function ensureNpmDeps() {
  if (!npmDepsStale()) return;
  log('installing npm dependencies (npm ci)');
  const args = existsSync(join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

function ensureDebianPackages(needs) {
  const missing = needs.filter(n => !onPath(n.cmd)).map(n => n.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(
      `missing ${missing.join(', ')}; run as root or install them: apt-get install ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: 'inherit', env });
  execFileSync(
    'apt-get',
    [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing],
    {
      stdio: 'inherit',
      env,
    },
  );
}

ensureNpmDeps();
ensureDebianPackages(NEEDS[mode] ?? NEEDS.start);
