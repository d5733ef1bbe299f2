import { expect } from 'chai';
import express from 'express';
import { Agent, request } from 'node:http';
import type { AuthenticationOptions } from '../../../../api/auth/index.ts';
import {
  authenticationMiddleware,
  parseTokenFile,
  tokenAuthenticator,
  userOf,
} from '../../../../api/auth/index.ts';
import type { Served } from './serve.ts';
import { serve } from './serve.ts';

const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';

const authenticator = tokenAuthenticator(
  parseTokenFile('good-token,alice,u-1,"devs,ops"', 'tokens.csv'),
);

// An app that echoes who the middleware decided the caller is.
async function start(opts: Partial<AuthenticationOptions> = {}): Promise<Served> {
  const app = express();
  app.use(authenticationMiddleware({ authenticator, ...opts }));
  app.use((req, res) => {
    res.json({ user: userOf(res), authorization: req.headers.authorization ?? null });
  });
  return serve(app);
}

describe('authenticationMiddleware', () => {
  let served: Served;
  afterEach(async () => {
    await served.close();
  });

  async function get(path: string, authorization?: string): Promise<Response> {
    return fetch(`${served.url}${path}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
  }

  it('answers a request without credentials with the exact kube 401 Status', async () => {
    served = await start();
    const res = await get('/apis');
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.text()).to.equal(UNAUTHORIZED_BODY);
  });

  it('answers a wrong bearer token with 401', async () => {
    served = await start();
    const res = await get('/apis', 'Bearer wrong-token');
    expect(res.status).to.equal(401);
    expect(await res.text()).to.equal(UNAUTHORIZED_BODY);
  });

  it('passes a right token on with the user and hides the header from handlers', async () => {
    served = await start();
    const res = await get('/apis/example.com/v1/widgets', 'Bearer good-token');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({
      user: { name: 'alice', uid: 'u-1', groups: ['devs', 'ops', 'system:authenticated'] },
      authorization: null,
    });
  });

  it('accepts the scheme in any case, as kube does', async () => {
    served = await start();
    expect((await get('/apis', 'bearer good-token')).status).to.equal(200);
  });

  it('treats other schemes and an empty bearer as no credentials', async () => {
    served = await start();
    expect((await get('/apis', 'Basic YWxpY2U6cHc=')).status).to.equal(401);
    expect((await get('/apis', 'Bearer ')).status).to.equal(401);
    const anon = (await (await get('/healthz', 'Basic YWxpY2U6cHc=')).json()) as {
      user: { name: string };
    };
    expect(anon.user.name).to.equal('system:anonymous');
  });

  it('lets anonymous callers reach /healthz, /livez, /readyz and /version as system:anonymous', async () => {
    served = await start();
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) {
      const res = await get(path);
      expect(res.status, path).to.equal(200);
      expect(await res.json()).to.deep.equal({
        user: { name: 'system:anonymous', groups: ['system:unauthenticated'] },
        authorization: null,
      });
    }
  });

  it('still identifies a caller with a valid token on an anonymous path', async () => {
    served = await start();
    const body = (await (await get('/version', 'Bearer good-token')).json()) as {
      user: { name: string };
    };
    expect(body.user.name).to.equal('alice');
  });

  it('refuses a wrong token even on an anonymous path instead of falling back to anonymous', async () => {
    served = await start();
    expect((await get('/healthz', 'Bearer wrong-token')).status).to.equal(401);
  });

  it('matches anonymous paths exactly unless the entry ends in *', async () => {
    served = await start();
    expect((await get('/healthz/etcd')).status).to.equal(401);
    expect((await get('/versions')).status).to.equal(401);
    await served.close();
    served = await start({ anonymousPaths: ['/metrics*'] });
    expect((await get('/metrics/cadvisor')).status).to.equal(200);
    expect((await get('/healthz')).status).to.equal(401);
  });

  it('requires a token everywhere when anonymousPaths is empty', async () => {
    served = await start({ anonymousPaths: [] });
    expect((await get('/version')).status).to.equal(401);
  });

  describe('on a keep-alive connection', () => {
    // one connection for every request: maxSockets 1, kept alive
    let agent: Agent;
    let checks: number;
    beforeEach(async () => {
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
      checks = 0;
      const counting = {
        authenticateToken: (t: string) => {
          checks++;
          return authenticator.authenticateToken(t);
        },
      };
      served = await start({ authenticator: counting });
    });
    afterEach(() => agent.destroy());

    const send = (authorization: string | undefined): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          `${served.url}/apis`,
          { agent, headers: authorization === undefined ? {} : { authorization } },
          res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });

    it('checks a repeated header against the token table once per connection', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await send('Bearer good-token');
        expect(res.status).to.equal(200);
        expect(JSON.parse(res.body)).to.deep.equal({
          user: { name: 'alice', uid: 'u-1', groups: ['devs', 'ops', 'system:authenticated'] },
          authorization: null,
        });
      }
      expect(checks).to.equal(1);
    });

    it('still refuses a wrong or missing token after a good one on the same connection', async () => {
      expect((await send('Bearer good-token')).status).to.equal(200);
      expect((await send('Bearer wrong-token')).status).to.equal(401);
      expect((await send(undefined)).status).to.equal(401);
      expect((await send('Bearer good-token')).status).to.equal(200);
      expect(checks).to.equal(2); // the wrong one; the good one was still the connection's last
    });
  });
});
