// HTTP and TCP checks against a port (mesos-features §5.6): HTTP is healthy for any answer below
// 400 (Mesos counts only 4xx and 5xx as failures; a certificate is not verified, as Mesos's curl
// -k does not), TCP for a completed connect. Used in the agent for host-network tasks and inside
// the task's network namespace by probe-main.ts for the others.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

/** HttpTarget is where an HTTP check goes. */
export interface HttpTarget {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

/** httpProbe GETs the target; true for a status below 400. */
export function httpProbe(t: HttpTarget, signal: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    const send = t.scheme === 'https' ? httpsRequest : httpRequest;
    const req = send(
      {
        host: t.host,
        port: t.port,
        path: t.path.startsWith('/') ? t.path : `/${t.path}`,
        method: 'GET',
        signal,
        ...(t.scheme === 'https' ? { rejectUnauthorized: false } : {}),
      },
      res => {
        res.resume();
        resolve((res.statusCode ?? 500) < 400);
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** tcpProbe is true when a TCP connection to host:port completes. */
export function tcpProbe(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    const sock = connect({ host, port, signal });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
