import { expect } from 'chai';
import type { HttpRequest, Transport } from '../../../../core/client/index.ts';
import {
  Client,
  builtinKinds,
  corralKinds,
  isGone,
  isNotFound,
} from '../../../../core/client/index.ts';
import type { Role } from '../../../../core/types/index.ts';

interface Canned {
  status: number;
  body?: string;
  chunks?: string[];
}

/** recording is a Transport that answers from a script and remembers each request. */
function recording(answer: (req: HttpRequest) => Canned = () => ({ status: 200, body: '{}' })) {
  const sent: HttpRequest[] = [];
  const transport: Transport = {
    send(req) {
      sent.push(req);
      if (req.signal?.aborted === true)
        return Promise.reject(new DOMException('aborted', 'AbortError'));
      const a = answer(req);
      const enc = new TextEncoder();
      return Promise.resolve({
        status: a.status,
        text: () => Promise.resolve(a.body ?? ''),
        stream: () =>
          new ReadableStream<Uint8Array>({
            start(c) {
              for (const chunk of a.chunks ?? [a.body ?? '']) c.enqueue(enc.encode(chunk));
              c.close();
            },
          }),
      });
    },
    close: () => Promise.resolve(),
  };
  return { sent, client: new Client(transport) };
}

const role = (name: string): Role => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Role',
  metadata: { name, resourceVersion: '7' },
  spec: { role: name, weight: 2 },
});

describe('ResourceClient requests', () => {
  it('builds kube-apiserver paths for cluster, namespaced and core-group kinds', async () => {
    const { sent, client } = recording();
    await client.for(corralKinds.roles).get({ name: 'r1' });
    await client.for(corralKinds.offers).get({ namespace: 'fw', name: 'o 1' });
    await client.for(corralKinds.offers).list({ labelSelector: 'a=b' });
    await client.for(builtinKinds.namespaces).get({ name: 'corral-system' });
    await client.for(builtinKinds.leases).list({ namespace: 'corral-system', limit: 5 });
    expect(sent.map(r => `${r.method} ${r.path}`)).to.deep.equal([
      'GET /apis/corral.dev/v1alpha1/roles/r1',
      'GET /apis/corral.dev/v1alpha1/namespaces/fw/offers/o%201',
      'GET /apis/corral.dev/v1alpha1/offers?labelSelector=a%3Db',
      'GET /api/v1/namespaces/corral-system',
      'GET /apis/coordination.k8s.io/v1/namespaces/corral-system/leases?limit=5',
    ]);
  });

  it('rejects a namespaced object without a namespace, and a namespace on a cluster kind', async () => {
    const { sent, client } = recording();
    const e1 = await client
      .for(corralKinds.offers)
      .get({ name: 'o' })
      .catch((e: unknown) => e);
    const e2 = await client
      .for(corralKinds.roles)
      .list({ namespace: 'x' })
      .catch((e: unknown) => e);
    expect(e1).to.be.instanceOf(TypeError);
    expect(e2).to.be.instanceOf(TypeError);
    expect(sent).to.have.length(0);
  });

  it('writes status through the subresource, and patches with the chosen content type', async () => {
    const { sent, client } = recording();
    const roles = client.for(corralKinds.roles);
    await roles.updateStatus(role('r'));
    await roles.patch({ name: 'r' }, { spec: { weight: 3 } });
    await roles.patch({ name: 'r' }, [{ op: 'replace', path: '/spec/weight', value: 4 }], {
      type: 'json',
    });
    await roles.patch(
      { name: 'r' },
      {
        apiVersion: 'corral.dev/v1alpha1',
        kind: 'Role',
        metadata: { name: 'r' },
        spec: { weight: 5 },
      },
      { type: 'apply', fieldManager: 'corral-test', force: true },
    );
    await roles.patchStatus({ name: 'r' }, { status: { frameworks: 1 } });
    expect(sent.map(r => [r.method, r.path, r.headers['Content-Type']])).to.deep.equal([
      ['PUT', '/apis/corral.dev/v1alpha1/roles/r/status', 'application/json'],
      ['PATCH', '/apis/corral.dev/v1alpha1/roles/r', 'application/merge-patch+json'],
      ['PATCH', '/apis/corral.dev/v1alpha1/roles/r', 'application/json-patch+json'],
      [
        'PATCH',
        '/apis/corral.dev/v1alpha1/roles/r?fieldManager=corral-test&force=true',
        'application/apply-patch+yaml',
      ],
      ['PATCH', '/apis/corral.dev/v1alpha1/roles/r/status', 'application/merge-patch+json'],
    ]);
    expect(JSON.parse(sent[1]!.body!)).to.deep.equal({ spec: { weight: 3 } });
  });

  it('maps an error answer to a ClientError', async () => {
    const { client } = recording(() => ({
      status: 404,
      body: JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'roles.corral.dev "x" not found',
        metadata: {},
      }),
    }));
    const e = await client
      .for(corralKinds.roles)
      .get({ name: 'x' })
      .catch((e: unknown) => e);
    expect(isNotFound(e)).to.equal(true);
  });

  it('rejects with the signal’s reason once aborted', async () => {
    const { client } = recording();
    const ac = new AbortController();
    const reason = new Error('stop now');
    ac.abort(reason);
    const e = await client
      .for(corralKinds.roles)
      .get({ name: 'x' }, { signal: ac.signal })
      .catch((e: unknown) => e);
    expect(e).to.equal(reason);
  });
});

describe('ResourceClient.watch', () => {
  const ev = (type: string, name: string, rv: string): string =>
    JSON.stringify({ type, object: { ...role(name), metadata: { name, resourceVersion: rv } } });

  it('decodes events split across chunks, skips heartbeats, and passes bookmarks on', async () => {
    const body = `${ev('ADDED', 'a', '2')}\n\n${ev('MODIFIED', 'a', '3')}\n{"type":"BOOKMARK","object":{"kind":"Role","apiVersion":"corral.dev/v1alpha1","metadata":{"resourceVersion":"9"}}}\n${ev('DELETED', 'a', '10')}`;
    const chunks = [body.slice(0, 17), body.slice(17, 90), body.slice(90)];
    const { sent, client } = recording(() => ({ status: 200, chunks }));
    const seen: string[] = [];
    for await (const e of client
      .for(corralKinds.roles)
      .watch({ resourceVersion: '1', allowWatchBookmarks: true })) {
      seen.push(
        e.type === 'BOOKMARK'
          ? `BOOKMARK ${e.resourceVersion}`
          : `${e.type} ${e.object.metadata.resourceVersion ?? ''}`,
      );
    }
    expect(seen).to.deep.equal(['ADDED 2', 'MODIFIED 3', 'BOOKMARK 9', 'DELETED 10']);
    expect(sent[0]!.path).to.equal(
      '/apis/corral.dev/v1alpha1/roles?watch=true&resourceVersion=1&allowWatchBookmarks=true',
    );
  });

  it('throws a Gone ClientError for an ERROR event with code 410', async () => {
    const expired = JSON.stringify({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: 'too old resource version: 1 (5)',
        metadata: {},
      },
    });
    const { client } = recording(() => ({
      status: 200,
      chunks: [`${ev('ADDED', 'a', '6')}\n`, `${expired}\n`],
    }));
    const seen: string[] = [];
    const e = await (async () => {
      for await (const w of client.for(corralKinds.roles).watch({ resourceVersion: '1' }))
        seen.push(w.type);
    })().catch((e: unknown) => e);
    expect(seen).to.deep.equal(['ADDED']);
    expect(isGone(e)).to.equal(true);
  });
});
