import { expect } from 'chai';
import {
  ClientError,
  ignoreNotFound,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isTransport,
} from '../../../../core/client/index.ts';
import { responseError, statusError, transportError } from '../../../../core/client/errors.ts';

const status = (reason: string, code: number): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `m-${reason}`,
    reason,
    code,
    metadata: {},
  });

describe('ClientError mapping', () => {
  const cases: {
    name: string;
    err: ClientError;
    pred: (e: unknown) => boolean;
    reason: string;
    code: number;
  }[] = [
    {
      name: 'a 404 Status',
      err: responseError(404, status('NotFound', 404)),
      pred: isNotFound,
      reason: 'NotFound',
      code: 404,
    },
    {
      name: 'a 409 AlreadyExists',
      err: responseError(409, status('AlreadyExists', 409)),
      pred: isAlreadyExists,
      reason: 'AlreadyExists',
      code: 409,
    },
    {
      name: 'a 409 Conflict',
      err: responseError(409, status('Conflict', 409)),
      pred: isConflict,
      reason: 'Conflict',
      code: 409,
    },
    {
      name: 'a 410 Expired',
      err: responseError(410, status('Expired', 410)),
      pred: isGone,
      reason: 'Expired',
      code: 410,
    },
    {
      name: 'a 410 without a body',
      err: responseError(410, ''),
      pred: isGone,
      reason: 'Gone',
      code: 410,
    },
    {
      name: 'a 409 without a body (a stale write)',
      err: responseError(409, 'nope'),
      pred: isConflict,
      reason: 'Conflict',
      code: 409,
    },
    {
      name: 'a watch ERROR event',
      err: statusError(JSON.parse(status('Expired', 410)) as never),
      pred: isGone,
      reason: 'Expired',
      code: 410,
    },
    {
      name: 'a refused connection',
      err: transportError(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
      pred: isTransport,
      reason: 'Transport',
      code: 0,
    },
  ];
  for (const c of cases) {
    it(`maps ${c.name} once, to reason ${c.reason}`, () => {
      expect(c.err).to.be.instanceOf(ClientError);
      expect(c.err).to.include({ reason: c.reason, code: c.code });
      expect(c.pred(c.err)).to.equal(true);
    });
  }

  it('keeps the server message and Status', () => {
    const e = responseError(404, status('NotFound', 404));
    expect(e.message).to.equal('m-NotFound');
    expect(e.status?.reason).to.equal('NotFound');
  });

  it('tells AlreadyExists from Conflict although both are 409', () => {
    const exists = responseError(409, status('AlreadyExists', 409));
    expect(isConflict(exists)).to.equal(false);
    expect(isAlreadyExists(responseError(409, status('Conflict', 409)))).to.equal(false);
  });

  it('ignoreNotFound swallows NotFound only', () => {
    expect(() => ignoreNotFound(responseError(404, ''))).to.not.throw();
    expect(() => ignoreNotFound(responseError(500, 'x'))).to.throw(ClientError);
    expect(() => ignoreNotFound(new Error('plain'))).to.throw('plain');
  });
});
