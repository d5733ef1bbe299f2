import { expect } from 'chai';
import { deepFreeze } from '../../../../core/client/index.ts';
import type { Offer } from '../../../../core/types/index.ts';
import {
  PLAN_ANNOTATION,
  loadPlan,
  savedPlanOf,
  withPlan,
} from '../../../../controllers/offers/plan-store.ts';
import { TerminalError } from '../../../../controllers/runtime/index.ts';
import { LAUNCH, RESERVE, accept, offer, res, reserved, task } from './engine/builders.ts';

const OFFERED = res('cpus:2;mem:512;disk:1024');

const plan = () =>
  savedPlanOf(
    accept(OFFERED, [
      RESERVE(reserved('cpus:1;mem:128'), 'r1'),
      LAUNCH([task('t1', { cpus: '0.5', mem: '64' })]),
    ]),
  );

// a cached Offer: deep-frozen, with annotations of its own
function cachedOffer(): Offer {
  const o = offer({ resources: OFFERED, operations: [] });
  return deepFreeze({
    ...o,
    metadata: { ...o.metadata, resourceVersion: '7', annotations: { keep: 'me' } },
  });
}

describe('withPlan', () => {
  it('adds the plan to a frozen cached offer’s copy and leaves the offer as it was', () => {
    const cached = cachedOffer();
    const before = structuredClone(cached);
    const saved = plan();
    const copy = withPlan(cached, saved);
    expect(cached).to.deep.equal(before);
    expect(copy.metadata.annotations).to.deep.equal({
      keep: 'me',
      [PLAN_ANNOTATION]: JSON.stringify(saved),
    });
    expect(copy.metadata.resourceVersion, 'an update of what was read').to.equal('7');
    expect(copy.spec).to.deep.equal(cached.spec);
    expect(loadPlan(copy)).to.deep.equal(JSON.parse(JSON.stringify(saved)));
  });

  it('adds annotations to an offer that had none', () => {
    const o = deepFreeze(offer({ resources: OFFERED, operations: [] }));
    expect(Object.keys(withPlan(o, plan()).metadata.annotations ?? {})).to.deep.equal([
      PLAN_ANNOTATION,
    ]);
    expect(o.metadata.annotations).to.equal(undefined);
  });
});

describe('loadPlan', () => {
  const withText = (text: string): Offer => {
    const o = offer({ resources: OFFERED });
    return { ...o, metadata: { ...o.metadata, annotations: { [PLAN_ANNOTATION]: text } } };
  };

  it('finds no plan on an offer without the annotation', () => {
    expect(loadPlan(offer({ resources: OFFERED }))).to.equal(undefined);
  });

  const refused: [string, string][] = [
    ['not JSON', '{"outcome":'],
    ['JSON but no plan', '{"outcome":"ACCEPTED","changes":{}}'],
    ['a plan without an outcome', '{"changes":[]}'],
  ];
  for (const [what, text] of refused)
    it(`refuses ${what} with a TerminalError`, () => {
      expect(() => loadPlan(withText(text))).to.throw(TerminalError);
    });
});
