import { expect } from 'chai';
import { defaultManager, validateWriteOptions } from '../../../../api/patch/index.ts';
import type { WriteOptions } from '../../../../api/patch/index.ts';
import { ApiError } from '../../../../core/errors/index.ts';

describe('field manager options', () => {
  const agents: [string, string | undefined, string][] = [
    ['kubectl', 'kubectl/v1.32.5 (linux/amd64) kubernetes/abcdef', 'kubectl'],
    ['client-node', 'node-fetch', 'node-fetch'],
    ['a missing User-Agent', undefined, ''],
    ['unprintable characters', 'ab\u0007c/1', 'abc'],
    ['an overlong agent, cut to 128 bytes', `${'x'.repeat(200)}/1`, 'x'.repeat(128)],
  ];
  for (const [name, ua, want] of agents) {
    it(`derives the default manager from ${name}`, () => {
      expect(defaultManager(ua)).to.equal(want);
    });
  }

  const cases: [string, WriteOptions, string | undefined][] = [
    [
      'accepts an apply with a manager',
      { kind: 'PatchOptions', apply: true, fieldManager: 'kubectl', force: false },
      undefined,
    ],
    [
      'accepts a merge patch without a manager',
      { kind: 'PatchOptions', fieldManager: undefined },
      undefined,
    ],
    [
      'accepts a 128-byte manager',
      { kind: 'CreateOptions', fieldManager: 'm'.repeat(128) },
      undefined,
    ],
    [
      'requires a manager for apply',
      { kind: 'PatchOptions', apply: true, fieldManager: '' },
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    ],
    [
      'forbids force on a non-apply patch',
      { kind: 'PatchOptions', fieldManager: 'x', force: true },
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    ],
    [
      'rejects a 129-byte manager',
      { kind: 'UpdateOptions', fieldManager: 'm'.repeat(129) },
      'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    ],
    [
      'rejects an unprintable manager',
      { kind: 'CreateOptions', fieldManager: 'a\tb' },
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\tb": invalid character U+0009 (at position 1)',
    ],
  ];
  for (const [name, opts, message] of cases) {
    it(name, () => {
      if (message === undefined) {
        expect(() => validateWriteOptions(opts)).not.to.throw();
        return;
      }
      try {
        validateWriteOptions(opts);
        expect.fail('expected a 422');
      } catch (e) {
        expect(e).to.be.instanceOf(ApiError);
        expect((e as ApiError).code).to.equal(422);
        expect((e as ApiError).message).to.equal(message);
      }
    });
  }
});
