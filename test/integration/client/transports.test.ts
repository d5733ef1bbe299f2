import { expect } from 'chai';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { HttpRequest, Lease, Transport } from '../../../core/client/index.ts';
import { Client, ClientError, builtinKinds, isTransport } from '../../../core/client/index.ts';
import { fetchTransport } from '../../../core/client/fetch-transport.ts';
import { httpsTransport } from '../../../core/client/https-transport.ts';
import { TransportTimeoutError } from '../../../core/client/pooled-transport.ts';
import type { KubeConfigTransportOptions } from '../../../core/client/transport.ts';
import { readWatchEvents } from '../../../core/client/watch-stream.ts';
import { undiciTransport } from '../../../core/client/undici-transport.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { kubeConfigFor, logSockets, socketsDuring } from './kubeconfigs.ts';

const NS = 'transport-test';
const LEASES = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;

const lease = (name: string): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: NS },
  spec: { holderIdentity: name, leaseDurationSeconds: 40 },
});

const get = (path: string, signal?: AbortSignal): HttpRequest => ({
  method: 'GET',
  path,
  headers: { Accept: 'application/json' },
  ...(signal === undefined ? {} : { signal }),
});

// Both pooled transports, node:https and undici, answer to the same suite: they are meant to be
// interchangeable behind kubeConfigTransport.
// keepsUnwritten: a request aborted after it was given a pooled connection, before it was written,
// leaves the connection pooled. node:http's Agent destroys it instead (the socket has no request
// to keep it alive when it comes back free), so the next request opens another.
// preconnects: the transport opens connections ahead of need (node:https's baseline does not).
const TRANSPORTS = [
  { name: 'httpsTransport', make: httpsTransport, keepsUnwritten: false, preconnects: false },
  { name: 'undiciTransport', make: undiciTransport, keepsUnwritten: true, preconnects: true },
] as const;

/** CountingProxy forwards loopback TCP to the API server and counts the connections it took. */
interface CountingProxy {
  readonly port: number;
  /** accepted are the client sides of the connections, in order. */
  readonly accepted: Socket[];
  /** open is how many of them are still open. */
  open(): number;
  stop(): Promise<void>;
}

async function countingProxy(target: number): Promise<CountingProxy> {
  const accepted: Socket[] = [];
  const upstreams: Socket[] = [];
  const server: Server = createServer(down => {
    accepted.push(down);
    const up = connect(target, '127.0.0.1');
    upstreams.push(up);
    down.pipe(up).pipe(down);
    const end = (): void => {
      down.destroy();
      up.destroy();
    };
    down.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    open: () => accepted.filter(s => !s.destroyed).length,
    async stop() {
      for (const s of [...accepted, ...upstreams]) s.destroy();
      await new Promise(r => server.close(r));
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

for (const { name, make, keepsUnwritten, preconnects } of TRANSPORTS) {
  describe(`${name} against the API server`, function () {
    this.timeout(60_000);
    let api: TestApiServer;
    let admin: KubeConfig;
    const opened: Transport[] = [];
    const transport = (opts: KubeConfigTransportOptions = {}, kc = admin): Transport => {
      const t = make(kc, opts);
      opened.push(t);
      return t;
    };

    before(async () => {
      api = await startTestApiServer();
      admin = api.kubeConfig;
      await new Client(transport())
        .for(builtinKinds.namespaces)
        .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map(t => t.close()));
    });
    after(async () => {
      await api.stop();
    });

    it('renews a Lease (GET then PUT) five times over one pooled connection', async () => {
      const leases = new Client(transport()).for(builtinKinds.leases);
      await leases.create(lease('reuse'));
      const sockets = await socketsDuring(async () => {
        for (let i = 0; i < 5; i++) {
          const l = await leases.get({ namespace: NS, name: 'reuse' });
          await leases.update({ ...l, spec: { ...l.spec, leaseTransitions: i } });
        }
      });
      expect(sockets.size, 'one connection for ten sequential requests').to.equal(1);
    });

    it('keeps one connection through creates and deletes that carry DeleteOptions', async () => {
      // undici closes a connection after a DELETE with a body unless told the server reads it:
      // a TLS handshake per Offer the controllers delete
      const leases = new Client(transport()).for(builtinKinds.leases);
      const sockets = await socketsDuring(async () => {
        for (let i = 0; i < 3; i++) {
          const l = await leases.create(lease(`delete-${i}`));
          await leases.delete(
            { namespace: NS, name: `delete-${i}` },
            { preconditions: { uid: l.metadata.uid ?? '' } },
          );
        }
        await leases.list({ namespace: NS });
      });
      expect(sockets.size, 'one connection for seven sequential requests').to.equal(1);
    });

    it('keeps its pooled connection through a 6 s idle gap, as Lease renewals leave', async () => {
      // the API server keeps an idle connection 65 s; a client that dropped it sooner (undici's
      // default is 4 s without a hint) would pay a TLS handshake on every renewal
      const leases = new Client(transport()).for(builtinKinds.leases);
      await leases.create(lease('idle-gap'));
      const sockets = await socketsDuring(async () => {
        await leases.get({ namespace: NS, name: 'idle-gap' });
        await sleep(6_000);
        await leases.get({ namespace: NS, name: 'idle-gap' });
      });
      expect(sockets.size, 'one connection on both sides of the gap').to.equal(1);
    });

    it('releases a watch connection when its reader stops early', async () => {
      const leases = new Client(transport()).for(builtinKinds.leases);
      await leases.create(lease('early-stop'));
      const log = logSockets();
      try {
        // a watch from no resourceVersion starts with the existing Leases: stop at the first
        for await (const ev of leases.watch({ namespace: NS })) {
          expect(ev.type).to.equal('ADDED');
          break;
        }
        await eventually(() => expect(log.watches[0]?.socket?.destroyed).to.equal(true));
      } finally {
        log.stop();
      }
    });

    it('answers status and body exactly as the fetch transport did, errors included', async () => {
      const leases = new Client(transport()).for(builtinKinds.leases);
      const stale = await leases.create(lease('parity'));
      await leases.update({ ...stale, spec: { ...stale.spec, leaseTransitions: 1 } });
      const requests: HttpRequest[] = [
        get(`${LEASES}/parity`),
        get(`${LEASES}/missing`),
        get('/apis/nothing.example.com/v1/things'),
        // a watch's error answer, read whole from the streamed body
        get('/apis/nothing.example.com/v1/things?watch=true'),
        {
          method: 'POST',
          path: '/api/v1/namespaces',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'Bad_N' },
          }),
        },
        {
          method: 'PUT',
          path: `${LEASES}/parity`,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(stale),
        },
      ];
      const answers = async (t: Transport) => {
        const out: { status: number; text: string }[] = [];
        for (const r of requests) {
          const res = await t.send(r);
          out.push({ status: res.status, text: await res.text() });
        }
        return out;
      };
      const viaFetch = fetchTransport(admin);
      opened.push(viaFetch);
      const expected = await answers(viaFetch);
      expect(expected.map(a => a.status)).to.deep.equal([200, 404, 404, 404, 422, 409]);
      expect(await answers(transport())).to.deep.equal(expected);
    });

    it('sends the kubeconfig bearer token, and a rejected one is Unauthorized', async () => {
      const good = kubeConfigFor(api, { token: api.token });
      const ok = await new Client(transport({}, good))
        .for(builtinKinds.namespaces)
        .get({ name: NS });
      expect(ok.metadata.name).to.equal(NS);
      const bad = kubeConfigFor(api, { token: 'not-the-token' });
      const err = await new Client(transport({}, bad))
        .for(builtinKinds.namespaces)
        .get({ name: NS })
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClientError);
      expect((err as ClientError).code).to.equal(401);
      expect((err as ClientError).reason).to.equal('Unauthorized');
    });

    it('skips server verification only when insecure-skip-tls-verify says so', async () => {
      const strict = kubeConfigFor(api, { token: api.token }, { noCa: true, skipTLSVerify: false });
      const refused = await new Client(transport({}, strict))
        .for(builtinKinds.namespaces)
        .get({ name: NS })
        .catch((e: unknown) => e);
      expect(isTransport(refused), String(refused)).to.equal(true);
      const lax = kubeConfigFor(api, { token: api.token }, { noCa: true, skipTLSVerify: true });
      const ns = await new Client(transport({}, lax))
        .for(builtinKinds.namespaces)
        .get({ name: NS });
      expect(ns.metadata.name).to.equal(NS);
    });

    it('sends plain http to the server URL path only when insecure-skip-tls-verify allows (fake server)', async () => {
      // the test API server speaks TLS only, so a node:http server records what arrives
      const seen: string[] = [];
      const fake = createHttpServer((req, res) => {
        seen.push(
          `${req.method} ${req.url} ${req.headers['user-agent']} ${req.headers.authorization}`,
        );
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fake' } }),
        );
      });
      await new Promise<void>(r => fake.listen(0, '127.0.0.1', r));
      const { port } = fake.address() as AddressInfo;
      const server = `http://127.0.0.1:${port}/prefix/`;
      try {
        const lax = kubeConfigFor(
          api,
          { token: 't0k' },
          { server, noCa: true, skipTLSVerify: true },
        );
        const ns = await new Client(transport({ userAgent: 'transport-test' }, lax))
          .for(builtinKinds.namespaces)
          .get({ name: 'fake' });
        expect(ns.metadata.name).to.equal('fake');
        expect(seen).to.deep.equal([
          'GET /prefix/api/v1/namespaces/fake transport-test Bearer t0k',
        ]);
        const strict = kubeConfigFor(api, { token: 't0k' }, { server, noCa: true });
        expect(() => make(strict)).to.throw(/HTTP protocol is not allowed/);
      } finally {
        fake.closeAllConnections();
        await new Promise(r => fake.close(r));
      }
    });

    it('streams watch events, and an abort ends the stream with its reason and the connection', async () => {
      const leases = new Client(transport()).for(builtinKinds.leases);
      const log = logSockets();
      const abort = new AbortController();
      const reason = new Error('test stops watching');
      const seen: string[] = [];
      // the abort may come before the create below answers: catch at once
      const ended = (async () => {
        for await (const ev of leases.watch({ namespace: NS, signal: abort.signal })) {
          if (ev.type === 'ADDED' && ev.object.metadata.name === 'watched') {
            seen.push('ADDED');
            abort.abort(reason);
          }
        }
        return 'ended cleanly';
      })().catch((e: unknown) => e);
      try {
        await eventually(() => expect(log.watches).to.have.length(1));
        await leases.create(lease('watched'));
        expect(await ended, 'the signal reason, as fetch rejected').to.equal(reason);
        expect(seen).to.deep.equal(['ADDED']);
        await eventually(() => expect(log.watches[0]?.socket?.destroyed).to.equal(true));
      } finally {
        log.stop();
      }
    });

    it('rejects with the signal reason when aborted before sending or in flight, as fetch does', async () => {
      for (const t of [transport(), fetchTransport(admin)]) {
        opened.push(t);
        const before = new AbortController();
        before.abort(new Error('already'));
        const early = await t.send(get(LEASES, before.signal)).catch((e: unknown) => e);
        expect(early).to.equal(before.signal.reason);
        // warm: credentials read and a pooled connection, so the next request is really sent
        await (await t.send(get(LEASES))).text();
        const during = new AbortController();
        const sent = t.send(get(LEASES, during.signal)).catch((e: unknown) => e);
        const reason = new Error('changed my mind');
        during.abort(reason);
        expect(await sent).to.equal(reason);
      }
    });

    // only where the transport promises it (no skipped test for the other)
    if (keepsUnwritten)
      it('keeps the pooled connection of a request aborted before it was written', async () => {
        const t = transport();
        const sockets = await socketsDuring(async () => {
          await (await t.send(get(LEASES))).text();
          const during = new AbortController();
          // aborted at once: its pooled connection is not written to yet
          const sent = t.send(get(LEASES, during.signal)).catch((e: unknown) => e);
          during.abort(new Error('never mind'));
          expect(await sent).to.equal(during.signal.reason);
          await (await t.send(get(LEASES))).text();
        });
        expect(sockets.size, 'the request before and the one after share it').to.equal(1);
      });

    it('frees the place of a request aborted while it waited for a connection', async () => {
      const t = transport({ maxSockets: 1 });
      const sockets = await socketsDuring(async () => {
        const settled: string[] = [];
        const first = t.send(get(LEASES)).then(r => {
          settled.push('first');
          return r;
        });
        const queued = new AbortController();
        const second = t.send(get(LEASES, queued.signal)).catch((e: unknown) => {
          settled.push('second');
          return e;
        });
        queued.abort(new Error('gave up waiting'));
        expect((await first).status).to.equal(200);
        expect(await second).to.equal(queued.signal.reason);
        expect(settled, 'the abort does not wait for the connection').to.deep.equal([
          'second',
          'first',
        ]);
        const third = await t.send(get(LEASES));
        expect(third.status).to.equal(200);
        await third.text();
      });
      expect(sockets.size).to.equal(1);
    });

    it('hands a watch reader that lagged far behind every event, in order', async () => {
      const t = transport();
      const leases = new Client(t).for(builtinKinds.leases);
      const { resourceVersion } = (await leases.list({ namespace: NS })).metadata;
      const res = await t.send(get(`${LEASES}?watch=true&resourceVersion=${resourceVersion}`));
      expect(res.status).to.equal(200);
      // ~300 KB of events arrive while nobody reads: the transport holds or pauses, loses nothing
      const names = Array.from({ length: 150 }, (_, i) => `lag-${String(i).padStart(3, '0')}`);
      const padding = 'x'.repeat(2000);
      for (const n of names)
        await leases.create({
          ...lease(n),
          metadata: { ...lease(n).metadata, annotations: { padding } },
        });
      const seen: string[] = [];
      const stream = res.stream();
      if (stream === null) throw new Error('a watch answer has a stream');
      for await (const ev of readWatchEvents<Lease>(stream)) {
        if (ev.type === 'ADDED' && ev.object.metadata.name?.startsWith('lag-') === true)
          seen.push(ev.object.metadata.name);
        if (seen.length === names.length) break;
      }
      expect(seen).to.deep.equal(names);
    });

    it('keeps requests flowing while watches hold more connections than maxSockets', async () => {
      const t = transport({ maxSockets: 1 });
      const leases = new Client(t).for(builtinKinds.leases);
      await leases.create(lease('starve'));
      const abort = new AbortController();
      const watches = [0, 1, 2].map(async () => {
        let events = 0;
        for await (const ev of leases.watch({ namespace: NS, signal: abort.signal }))
          events += ev.type === 'BOOKMARK' ? 0 : 1;
        return events;
      });
      try {
        // three open watches, then plain requests still go through the one request connection
        for (let i = 0; i < 3; i++) {
          const l = await leases.get({ namespace: NS, name: 'starve' });
          expect(l.metadata.name).to.equal('starve');
        }
      } finally {
        abort.abort();
        await Promise.allSettled(watches);
      }
    });

    it('fails a watch that stays silent past the idle timeout as a Transport error', async () => {
      const leases = new Client(transport({ idleTimeoutMs: 300 })).for(builtinKinds.leases);
      const { resourceVersion } = (await leases.list({ namespace: NS })).metadata;
      const err = await (async () => {
        // from the list's resourceVersion nothing happens; the heartbeat comes only every 10 s
        let events = 0;
        for await (const ev of leases.watch({ namespace: NS, resourceVersion }))
          events += ev.type === 'BOOKMARK' ? 0 : 1;
        return events;
      })().catch((e: unknown) => e);
      expect(isTransport(err), String(err)).to.equal(true);
      expect((err as Error).message).to.match(/sent nothing for 300 ms/);
      expect((err as ClientError).cause).to.be.instanceOf(TransportTimeoutError);
    });

    describe('preconnect', () => {
      let proxy: CountingProxy;
      let viaProxy: KubeConfig;
      beforeEach(async () => {
        proxy = await countingProxy(Number(new URL(api.url).port));
        viaProxy = kubeConfigFor(
          api,
          { token: api.token },
          { server: `https://127.0.0.1:${proxy.port}` },
        );
      });
      afterEach(async () => {
        await Promise.all(opened.splice(0).map(t => t.close()));
        await proxy.stop();
      });

      if (!preconnects) {
        it('opens no connection ahead (the baseline has no preconnect)', async () => {
          const t = transport({}, viaProxy);
          expect(await t.preconnect?.(4)).to.equal(0);
          expect(proxy.accepted).to.have.length(0);
        });
        return;
      }

      it('opens connections ahead that a burst of requests then uses, within maxSockets', async () => {
        const t = transport({ maxSockets: 8 }, viaProxy);
        expect(await t.preconnect?.(6)).to.equal(6);
        expect(proxy.accepted, 'six connections before any request').to.have.length(6);
        const answers = await Promise.all(Array.from({ length: 6 }, () => t.send(get(LEASES))));
        for (const a of answers) {
          expect(a.status).to.equal(200);
          await a.text();
        }
        expect(proxy.accepted, 'the burst opened none of its own').to.have.length(6);
        expect(await t.preconnect?.(20), 'up to maxSockets in all').to.equal(2);
        expect(proxy.accepted).to.have.length(8);
        expect(await t.preconnect?.(20), 'none past maxSockets').to.equal(0);
      });

      it('connects anew when the server closed a connection opened ahead', async () => {
        const t = transport({}, viaProxy);
        expect(await t.preconnect?.(1)).to.equal(1);
        proxy.accepted[0]?.destroy();
        // once the transport has seen the close, the place is free to preconnect again
        await eventually(async () => expect(await t.preconnect?.(1)).to.equal(1));
        const a = await t.send(get(LEASES));
        expect(a.status).to.equal(200);
        await a.text();
        expect(proxy.accepted, 'the second connection, not the closed one').to.have.length(2);
        expect(proxy.open()).to.equal(1);
      });

      it('closes the connections opened ahead when the transport closes', async () => {
        const t = transport({}, viaProxy);
        expect(await t.preconnect?.(3)).to.equal(3);
        await t.close();
        await eventually(() => expect(proxy.open()).to.equal(0));
      });
    });

    it('gives up on a loopback peer that accepts but never completes the TLS handshake', async () => {
      const held: Socket[] = [];
      const silent: Server = createServer(s => held.push(s));
      await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
      const { port } = silent.address() as AddressInfo;
      try {
        const kc = kubeConfigFor(
          api,
          { token: api.token },
          { server: `https://127.0.0.1:${port}` },
        );
        const err = await transport({ connectTimeoutMs: 300 }, kc)
          .send(get(LEASES))
          .catch((e: unknown) => e);
        expect(err).to.be.instanceOf(TransportTimeoutError);
        expect((err as Error).message).to.match(/no connection in 300 ms/);
      } finally {
        for (const s of held) s.destroy();
        await new Promise(r => silent.close(r));
      }
    });
  });
}
