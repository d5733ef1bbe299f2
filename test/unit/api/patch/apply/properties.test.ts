import { expect } from 'chai';
import fc from 'fast-check';
import {
  fieldSetOf,
  fromFieldsV1,
  recordUpdate,
  serverSideApply,
} from '../../../../../api/patch/index.ts';
import type { KubeObject } from '../../../../../core/types/meta.ts';
import { API_VERSION, SCHEMA, T1, T2, T3, widget } from './builders.ts';

// Configurations valid for the Widget schema: set items and map-list keys unique, as kube's
// validation guarantees before apply runs.
const key = fc.string({ minLength: 1, maxLength: 4 });
const spec = fc.record(
  {
    size: fc.integer(),
    color: fc.string({ maxLength: 4 }),
    tags: fc.uniqueArray(key, { maxLength: 4 }),
    ports: fc.uniqueArray(
      fc.record(
        { name: key, port: fc.integer({ min: 1, max: 65535 }) },
        { requiredKeys: ['name'] },
      ),
      { selector: p => p.name, maxLength: 4 },
    ),
    args: fc.array(key, { maxLength: 3 }),
    selector: fc.dictionary(key, key, { maxKeys: 3 }),
    env: fc.dictionary(key, key, { maxKeys: 3 }),
    config: fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
const config = fc
  .tuple(spec, fc.dictionary(key, key, { maxKeys: 2 }))
  .map(([s, labels]) => widget(s, Object.keys(labels).length > 0 ? { labels } : {}));

const ssa = (
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  now: string,
): KubeObject =>
  serverSideApply({
    live,
    applied,
    schema: SCHEMA,
    manager,
    force: true,
    apiVersion: API_VERSION,
    now,
  });

describe('server-side apply properties', () => {
  it('applying the same configuration twice yields the same object', () => {
    fc.assert(
      fc.property(config, config, (a, b) => {
        const live = ssa(undefined, a, 'first', T1);
        const once = ssa(live, b, 'second', T2);
        expect(ssa(once, b, 'second', T3)).to.deep.equal(once);
      }),
    );
  });

  it('the applier owns exactly the fields of its configuration', () => {
    fc.assert(
      fc.property(config, config, (a, b) => {
        const out = ssa(ssa(undefined, a, 'first', T1), b, 'second', T2);
        const entry = out.metadata.managedFields?.find(e => e.manager === 'second');
        // Null members mean "not specified" in an apply body.
        const withoutNulls = JSON.parse(
          JSON.stringify(b, (_, v: unknown) => v ?? undefined),
        ) as unknown;
        const want = fieldSetOf(withoutNulls, SCHEMA);
        if (want.isEmpty()) expect(entry).to.equal(undefined);
        else expect(fromFieldsV1(entry?.fieldsV1).equals(want)).to.equal(true);
      }),
    );
  });

  it('every owned field exists in the result', () => {
    fc.assert(
      fc.property(config, config, (a, b) => {
        const out = ssa(ssa(undefined, a, 'first', T1), b, 'second', T2);
        const present = fieldSetOf(out, SCHEMA);
        for (const e of out.metadata.managedFields ?? []) {
          expect(fromFieldsV1(e.fieldsV1).difference(present).isEmpty()).to.equal(true);
        }
      }),
    );
  });

  it('an update that changes nothing keeps managedFields as they are', () => {
    fc.assert(
      fc.property(config, a => {
        const live = ssa(undefined, a, 'first', T1);
        const entries = recordUpdate({
          before: live,
          after: structuredClone(live),
          schema: SCHEMA,
          manager: 'editor',
          apiVersion: API_VERSION,
          now: T2,
        });
        expect(entries).to.deep.equal(live.metadata.managedFields ?? []);
      }),
    );
  });
});
