import { expect } from 'chai';
import type { RequestAttributes, UserInfo } from '../../../../api/auth/index.ts';
import {
  ANONYMOUS_USER,
  allowAllAuthenticated,
  mayReadMonitoring,
} from '../../../../api/auth/index.ts';

const user = (name: string, ...groups: string[]): UserInfo => ({
  name,
  groups: [...groups, 'system:authenticated'],
});
const admin = user('admin', 'system:masters');
const prometheus = user('prometheus', 'system:monitoring');
const agent = user('corral:agent', 'corral:agents');
const controllers = user('corral:controllers', 'corral:controllers');
const framework = user('etl');

const get = (u: UserInfo, path: string): RequestAttributes => ({
  isResourceRequest: false,
  user: u,
  verb: 'get',
  nonResourcePath: path,
});

describe('mayReadMonitoring', () => {
  it('lets superusers and system:monitoring read, and nobody else', () => {
    expect([admin, prometheus, agent, controllers, framework].map(mayReadMonitoring)).to.deep.equal(
      [true, true, false, false, false],
    );
  });
});

describe('allowAllAuthenticated on /metrics', () => {
  it('allows the admin and a system:monitoring user', () => {
    expect(allowAllAuthenticated.authorize(get(admin, '/metrics')).allowed).to.equal(true);
    expect(allowAllAuthenticated.authorize(get(prometheus, '/metrics')).allowed).to.equal(true);
  });

  it('denies agents, controllers, frameworks and the anonymous user, saying who may', () => {
    for (const u of [agent, controllers, framework, ANONYMOUS_USER]) {
      const d = allowAllAuthenticated.authorize(get(u, '/metrics'));
      expect(d.allowed, u.name).to.equal(false);
    }
    expect(allowAllAuthenticated.authorize(get(agent, '/metrics')).reason).to.include(
      'system:monitoring',
    );
  });

  it('still allows those users other non-resource paths', () => {
    expect(allowAllAuthenticated.authorize(get(agent, '/apis')).allowed).to.equal(true);
    expect(allowAllAuthenticated.authorize(get(framework, '/metrics/x')).allowed).to.equal(true);
  });
});
