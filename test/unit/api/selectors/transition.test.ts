import { expect } from 'chai';
import {
  matchesObject,
  parseObjectSelector,
  selectorTransition,
} from '../../../../api/selectors/index.ts';
import type { SelectedEvent, WatchEventType } from '../../../../api/selectors/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';

describe('selectorTransition', () => {
  const cases: [string, WatchEventType, boolean, boolean, SelectedEvent | undefined][] = [
    ['a matching create is ADDED', 'ADDED', false, true, { type: 'ADDED', object: 'current' }],
    ['a create that does not match is skipped', 'ADDED', false, false, undefined],
    ['a create ignores prevMatch', 'ADDED', true, false, undefined],
    [
      'an update that starts matching is ADDED',
      'MODIFIED',
      false,
      true,
      { type: 'ADDED', object: 'current' },
    ],
    [
      'an update that keeps matching is MODIFIED',
      'MODIFIED',
      true,
      true,
      { type: 'MODIFIED', object: 'current' },
    ],
    [
      'an update that stops matching is DELETED with the previous object',
      'MODIFIED',
      true,
      false,
      { type: 'DELETED', object: 'previous' },
    ],
    ['an update that never matches is skipped', 'MODIFIED', false, false, undefined],
    [
      'a delete of a matching object is DELETED',
      'DELETED',
      true,
      false,
      { type: 'DELETED', object: 'previous' },
    ],
    ['a delete ignores nowMatch', 'DELETED', true, true, { type: 'DELETED', object: 'previous' }],
    ['a delete of a non-matching object is skipped', 'DELETED', false, true, undefined],
  ];
  for (const [name, type, prev, now, want] of cases) {
    it(name, () => {
      expect(selectorTransition(type, prev, now)).to.deep.equal(want);
    });
  }
});

describe('matchesObject', () => {
  const task = (labels: Record<string, string>, agent: string): KubeObject => ({
    apiVersion: 'corral.dev/v1',
    kind: 'Task',
    metadata: { name: 't1', namespace: 'default', labels },
    spec: { agent },
  });

  it('requires both the label and the field selector', () => {
    const sel = parseObjectSelector({
      labelSelector: 'app=demo',
      fieldSelector: 'spec.agent=a1',
      selectableFields: ['.spec.agent'],
    });
    expect(matchesObject(sel, task({ app: 'demo' }, 'a1'))).to.equal(true);
    expect(matchesObject(sel, task({ app: 'demo' }, 'a2'))).to.equal(false);
    expect(matchesObject(sel, task({}, 'a1'))).to.equal(false);
  });

  it('selects everything when both parameters are absent', () => {
    expect(matchesObject(parseObjectSelector({}), task({}, 'x'))).to.equal(true);
  });
});
