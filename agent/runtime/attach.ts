// Attach through conmon's attach socket (SOCK_SEQPACKET, in the bundle dir with --full-attach).
// Each packet conmon sends is one read of the container's output, prefixed by a byte naming the
// pipe (2 stdout, 3 stderr); what we send goes to the container's stdin, and shutting our side
// down makes conmon close that stdin (containers-here §2.9).
import { closeSync, openSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { SeqpacketSocket } from 'node-unix-socket';
import type { Attachment } from './types.ts';

const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;
// sockaddr_un.sun_path holds 108 bytes including the NUL
const MAX_SOCKET_PATH = 107;

/**
 * connectAttach connects to the socket `name` in `dir`. A path too long for sockaddr_un is reached
 * through /proc/self/fd of the open directory, the way conmon itself binds it.
 */
export function connectAttach(dir: string, name: string): Promise<Attachment> {
  const direct = `${dir}/${name}`;
  const dirFd = direct.length > MAX_SOCKET_PATH ? openSync(dir, 'r') : undefined;
  const path = dirFd === undefined ? direct : `/proc/self/fd/${dirFd}/${name}`;
  const sock = new SeqpacketSocket();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let ended = false;
  const closed = new Promise<void>(resolve => {
    sock.once('close', () => {
      stdout.end();
      stderr.end();
      resolve();
    });
  });
  sock.on('data', (buf: Buffer) => {
    const pipe = buf[0];
    if (pipe === STDOUT_PIPE) stdout.write(buf.subarray(1));
    else if (pipe === STDERR_PIPE) stderr.write(buf.subarray(1));
  });
  sock.on('end', () => sock.destroy());
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ended) {
        cb(new Error('attachment closed'));
        return;
      }
      sock.write(chunk, 0, chunk.length, () => cb());
    },
    final(cb) {
      ended = true;
      sock.end(() => cb());
    },
  });
  const attachment: Attachment = {
    stdout,
    stderr,
    stdin,
    close: () => {
      ended = true;
      sock.destroy();
    },
    closed,
  };
  return new Promise((resolve, reject) => {
    const fail = (e: Error): void => {
      if (dirFd !== undefined) closeSync(dirFd);
      reject(e);
    };
    sock.once('error', fail);
    try {
      sock.connect(path, () => {
        if (dirFd !== undefined) closeSync(dirFd);
        sock.off('error', fail);
        sock.on('error', () => sock.destroy());
        resolve(attachment);
      });
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
