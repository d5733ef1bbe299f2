// The OfferApi over the typed client: HTTP answers mapped to the publisher's outcomes, writes
// not started once leadership ended, and Quota status figures replaced rather than merged.
import { expect } from 'chai';
import type { HttpRequest, HttpResponse, Transport } from '../../../../core/client/index.ts';
import { Client } from '../../../../core/client/index.ts';
import type { Quota } from '../../../../core/types/index.ts';
import { clientOfferApi } from '../../../../controllers/allocator/client-offer-api.ts';
import { offerObj, quotaObj } from './api-objects.ts';

function fakeApi(answer: (req: HttpRequest) => [number, unknown]) {
  const sent: HttpRequest[] = [];
  const transport: Transport = {
    send(req): Promise<HttpResponse> {
      sent.push(req);
      const [status, body] = answer(req);
      return Promise.resolve({
        status,
        text: () => Promise.resolve(JSON.stringify(body)),
        stream: () => null,
      });
    },
    close: () => Promise.resolve(),
  };
  return { client: new Client(transport), sent };
}

const status = (code: number, reason: string) => ({
  kind: 'Status',
  code,
  reason,
  message: reason,
});
const offer = offerObj('team', 'o-1', { framework: 'fw', agent: 'a', role: 'r', resources: [] });
const live = new AbortController().signal;

describe('allocator: OfferApi over the typed client', () => {
  it("creates Offers in one List request; AlreadyExists is 'exists', other failures per offer", async () => {
    const other = offerObj('team-b', 'o-2', {
      framework: 'fw',
      agent: 'a',
      role: 'r',
      resources: [],
    });
    const third = offerObj('team', 'o-3', {
      framework: 'fw',
      agent: 'a',
      role: 'r',
      resources: [],
    });
    const { client, sent } = fakeApi(() => [
      200,
      {
        kind: 'List',
        items: [offer, status(409, 'AlreadyExists'), status(404, 'NotFound')],
      },
    ]);
    const api = clientOfferApi({ client });
    const outcomes = await api.createOffers([offer, other, third], live);
    expect(outcomes.slice(0, 2)).to.deep.equal(['created', 'exists']);
    expect(outcomes[2]).to.have.property('failed');
    expect(sent).to.have.length(1);
    expect(sent[0]?.method).to.equal('POST');
    // two namespaces: the all-namespaces collection, each item naming its own
    expect(sent[0]?.path).to.match(/^\/apis\/corral\.dev\/v1alpha1\/offers\?/);
    const body = JSON.parse(sent[0]?.body ?? '{}') as { kind: string; items: unknown[] };
    expect(body.kind).to.equal('List');
    expect(body.items).to.have.length(3);
  });

  it("posts a single namespace's Offers to that namespace", async () => {
    const { client, sent } = fakeApi(() => [201, { kind: 'List', items: [offer] }]);
    expect(await clientOfferApi({ client }).createOffers([offer], live)).to.deep.equal(['created']);
    expect(sent[0]?.path).to.match(/^\/apis\/corral\.dev\/v1alpha1\/namespaces\/team\/offers\?/);
  });

  const deletions: [number, string, string][] = [
    [200, 'Success', 'deleted'],
    [404, 'NotFound', 'gone'],
    [409, 'Conflict', 'conflict'],
  ];
  for (const [code, reason, outcome] of deletions) {
    it(`maps a deletion answered ${code} ${reason} to '${outcome}', with the version as precondition`, async () => {
      const { client, sent } = fakeApi(() => [code, status(code, reason)]);
      const api = clientOfferApi({ client });
      const ref = { namespace: 'team', name: 'o-1', resourceVersion: '42' };
      expect(await api.deleteOffer(ref, live)).to.equal(outcome);
      expect(JSON.parse(sent[0]?.body ?? '{}')).to.deep.include({
        preconditions: { resourceVersion: '42' },
      });
    });
  }

  it('throws other failures, and sends nothing once the caller signal has aborted', async () => {
    const { client, sent } = fakeApi(() => [500, status(500, 'InternalError')]);
    const api = clientOfferApi({ client });
    let failed: unknown;
    await api.createOffers([offer], live).catch((e: unknown) => (failed = e));
    expect(failed).to.be.instanceOf(Error);
    const ended = new AbortController();
    ended.abort(new Error('not leading'));
    await api.createOffers([offer], ended.signal).catch((e: unknown) => (failed = e));
    expect((failed as Error).message).to.equal('not leading');
    expect(sent).to.have.length(1);
  });

  it('replaces Quota status figures: names the new figures lack are set to null', async () => {
    const { client, sent } = fakeApi(() => [200, {}]);
    const cached: Quota = {
      ...quotaObj('prod', 'prod', { cpus: 4 }),
      status: { consumed: { cpus: '1', gpus: '1' }, offered: {}, headroom: { cpus: '3' } },
    };
    const api = clientOfferApi({
      client,
      quotas: { get: () => cached, list: () => [cached], size: 1 },
    });
    await api.writeQuotaStatus('prod', { consumed: { cpus: '2' }, offered: { mem: '64' } }, live);
    await api.writeQuotaStatus('prod', { consumed: {}, offered: {}, headroom: {} }, live);
    expect(sent[0]?.method).to.equal('PATCH');
    expect(sent[0]?.path).to.match(/\/quotas\/prod\/status\?/);
    expect(JSON.parse(sent[0]?.body ?? '{}')).to.deep.equal({
      status: {
        consumed: { cpus: '2', gpus: null },
        offered: { mem: '64' },
        headroom: { cpus: null },
      },
    });
    // the second write also clears what the first one wrote (the cache may not show it yet)
    expect(JSON.parse(sent[1]?.body ?? '{}')).to.deep.equal({
      status: {
        consumed: { cpus: null, gpus: null },
        offered: { mem: null },
        headroom: { cpus: null },
      },
    });
  });
});
