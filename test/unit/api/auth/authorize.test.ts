import { expect } from 'chai';
import express from 'express';
import type { Authorizer, RequestAttributes, UserInfo } from '../../../../api/auth/index.ts';
import {
  ANONYMOUS_USER,
  allowAllAuthenticated,
  authenticationMiddleware,
  authorizationMiddleware,
  forbidden,
  parseTokenFile,
  requestAttributesOf,
  tokenAuthenticator,
} from '../../../../api/auth/index.ts';
import type { Served } from './serve.ts';
import { serve } from './serve.ts';

const bob: UserInfo = { name: 'bob', groups: ['system:authenticated'] };

const resource = (over: Partial<RequestAttributes & { isResourceRequest: true }>) =>
  ({
    isResourceRequest: true,
    user: bob,
    verb: 'get',
    apiGroup: 'example.com',
    apiVersion: 'v1',
    resource: 'widgets',
    subresource: '',
    namespace: 'default',
    name: 'w1',
    ...over,
  }) as RequestAttributes;

describe('forbidden', () => {
  const cases: [string, RequestAttributes, string][] = [
    [
      'a named object in a namespace',
      resource({}),
      'widgets.example.com "w1" is forbidden: User "bob" cannot get resource "widgets" in API group "example.com" in the namespace "default"',
    ],
    [
      'a cluster-wide collection',
      resource({ verb: 'list', namespace: '', name: '' }),
      'widgets.example.com is forbidden: User "bob" cannot list resource "widgets" in API group "example.com" at the cluster scope',
    ],
    [
      'a subresource',
      resource({ verb: 'update', subresource: 'status' }),
      'widgets.example.com "w1" is forbidden: User "bob" cannot update resource "widgets/status" in API group "example.com" in the namespace "default"',
    ],
    [
      'a core-group object',
      resource({ apiGroup: '', resource: 'configmaps', name: 'c' }),
      'configmaps "c" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "default"',
    ],
    [
      'a namespace itself',
      resource({
        apiGroup: '',
        resource: 'namespaces',
        namespace: 'team',
        name: 'team',
        verb: 'delete',
      }),
      'namespaces "team" is forbidden: User "bob" cannot delete resource "namespaces" in API group "" in the namespace "team"',
    ],
    [
      'a non-resource path',
      { isResourceRequest: false, user: bob, verb: 'get', nonResourcePath: '/openapi/v3' },
      'forbidden: User "bob" cannot get path "/openapi/v3"',
    ],
  ];
  for (const [what, attrs, message] of cases) {
    it(`words a denial on ${what} as kube-apiserver does`, () => {
      const err = forbidden(attrs);
      expect(err.code).to.equal(403);
      expect(err.reason).to.equal('Forbidden');
      expect(err.message).to.equal(message);
    });
  }

  it('appends the authorizer reason and names the object in details', () => {
    const status = forbidden(resource({}), 'no RBAC rule matched').toStatus();
    expect(status.message).to.match(/in the namespace "default": no RBAC rule matched$/);
    expect(status.details).to.deep.equal({ name: 'w1', group: 'example.com', kind: 'widgets' });
    expect(forbidden(resource({ apiGroup: '', name: '' })).toStatus().details).to.deep.equal({
      kind: 'widgets',
    });
  });
});

describe('allowAllAuthenticated', () => {
  it('allows an authenticated user anything', () => {
    expect(
      allowAllAuthenticated.authorize(resource({ verb: 'deletecollection' })).allowed,
    ).to.equal(true);
  });

  it('allows the anonymous user only GET and HEAD of the public-info paths', () => {
    const anon = (verb: string, path: string) =>
      allowAllAuthenticated.authorize({
        isResourceRequest: false,
        user: ANONYMOUS_USER,
        verb,
        nonResourcePath: path,
      }).allowed;
    expect(anon('get', '/healthz')).to.equal(true);
    expect(anon('head', '/readyz')).to.equal(true);
    expect(anon('get', '/version')).to.equal(true);
    expect(anon('post', '/healthz')).to.equal(false);
    expect(anon('get', '/apis')).to.equal(false);
    expect(allowAllAuthenticated.authorize(resource({ user: ANONYMOUS_USER })).allowed).to.equal(
      false,
    );
  });
});

describe('authorizationMiddleware', () => {
  let served: Served | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  const authenticator = tokenAuthenticator(parseTokenFile('bob-token,bob,2', 'f'));

  async function start(authorizer: Authorizer, withAuthentication = true): Promise<Served> {
    const app = express();
    if (withAuthentication) {
      app.use(authenticationMiddleware({ authenticator, anonymousPaths: ['/healthz', '/apis'] }));
    }
    app.use(authorizationMiddleware({ authorizer }));
    app.use((_req, res) => {
      res.json(requestAttributesOf(res));
    });
    return serve(app);
  }

  it('hands the authorizer the parsed attributes and the user, and stores them for handlers', async () => {
    const seen: RequestAttributes[] = [];
    served = await start({
      authorize: attrs => {
        seen.push(attrs);
        return { allowed: true };
      },
    });
    const res = await fetch(
      `${served.url}/apis/example.com/v1/namespaces/default/widgets?watch=1`,
      {
        headers: { authorization: 'Bearer bob-token' },
      },
    );
    expect(res.status).to.equal(200);
    const expected = {
      isResourceRequest: true,
      verb: 'watch',
      apiGroup: 'example.com',
      apiVersion: 'v1',
      resource: 'widgets',
      subresource: '',
      namespace: 'default',
      name: '',
      user: { name: 'bob', uid: '2', groups: ['system:authenticated'] },
    };
    expect(seen).to.deep.equal([expected]);
    expect(await res.json()).to.deep.equal(expected);
  });

  it('answers a denied request with a 403 Status naming the user, verb and resource', async () => {
    served = await start({ authorize: () => ({ allowed: false }) });
    const res = await fetch(`${served.url}/apis/example.com/v1/namespaces/default/widgets/w1`, {
      headers: { authorization: 'Bearer bob-token' },
    });
    expect(res.status).to.equal(403);
    expect(await res.json()).to.deep.equal({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'widgets.example.com "w1" is forbidden: User "bob" cannot get resource "widgets" in API group "example.com" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'w1', group: 'example.com', kind: 'widgets' },
      code: 403,
    });
  });

  it('with allowAllAuthenticated serves anonymous health checks but forbids anonymous API reads', async () => {
    served = await start(allowAllAuthenticated);
    expect((await fetch(`${served.url}/healthz`)).status).to.equal(200);
    const res = await fetch(`${served.url}/apis`);
    expect(res.status).to.equal(403);
    const body = (await res.json()) as { message: string };
    expect(body.message).to.equal(
      'forbidden: User "system:anonymous" cannot get path "/apis": only authenticated users may use this API',
    );
  });

  it('fails closed with a 500 when no authentication ran before it', async () => {
    served = await start(allowAllAuthenticated, false);
    const res = await fetch(`${served.url}/apis`);
    expect(res.status).to.equal(500);
  });
});
