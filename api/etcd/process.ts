import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** EtcdProcessOptions says where a local single-member etcd keeps data and listens. */
export interface EtcdProcessOptions {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly host?: string;
  /** logFile receives etcd's output; default `<dataDir>/etcd.log`. */
  readonly logFile?: string;
  /** binary is the etcd executable; default `etcd` from PATH. */
  readonly binary?: string;
  /**
   * ownGroup starts etcd in its own process group, so a terminal's Ctrl-C (sent to the whole
   * foreground group) does not reach it and the caller can stop it last, after its clients'
   * final writes (`corral up`). It is then killed when this process exits; a process that dies
   * by a signal without exiting (no `exit` event) leaves it running. Default false.
   */
  readonly ownGroup?: boolean;
}

/** EtcdProcess is a running etcd child; stop() ends it by its pid and waits for exit. */
export interface EtcdProcess {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function waitForPort(host: string, port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const sock = connect({ host, port }, () => {
        sock.destroy();
        resolve();
      });
      sock.on('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`etcd did not listen on ${host}:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * startEtcd spawns a single-member etcd into dataDir (reusing data already there) and resolves
 * once its client port accepts connections. A missing binary or an early exit rejects with a
 * message that names the problem and the log file.
 */
export async function startEtcd(opts: EtcdProcessOptions): Promise<EtcdProcess> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  const logFile = opts.logFile ?? join(opts.dataDir, 'etcd.log');
  const fd = openSync(logFile, 'a');
  const client = `http://${host}:${opts.clientPort}`;
  const peer = `http://${host}:${opts.peerPort}`;
  const child = spawn(
    opts.binary ?? 'etcd',
    [
      '--name=corral',
      `--data-dir=${join(opts.dataDir, 'member-data')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=corral=${peer}`,
      '--quota-backend-bytes=8589934592',
      '--max-request-bytes=4194304',
      '--log-level=warn',
      '--logger=zap',
    ],
    {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.arch },
      detached: opts.ownGroup === true,
    },
  );
  closeSync(fd);
  // if this process exits without stopping it (a second Ctrl-C, a crash), it goes too
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, 'SIGTERM');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const early = new Promise<never>((_, reject) => {
    child.once('error', e => reject(new Error(`cannot start etcd: ${e.message}`)));
    child.once('exit', code =>
      reject(
        new Error(`etcd exited with code ${String(code)} before it was ready; see ${logFile}`),
      ),
    );
  });
  await Promise.race([waitForPort(host, opts.clientPort, Date.now() + 20_000), early]);
  const pid = child.pid ?? 0;
  return {
    endpoint: client,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, 5_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
