import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../api/registry/crd-types.ts';
import { prune, validate } from '../../../api/registry/schema/index.ts';
import { CORRAL_KINDS } from '../../../core/types/index.ts';
import { FIXTURES } from './fixtures.ts';
import { schemaOf } from './load-crds.ts';

// schemaFields lists the paths of every field a schema specifies (`[]` for items, `*` for map
// values); metadata is ObjectMeta and is left out.
function schemaFields(s: JSONSchemaProps, path: string, out: Set<string>): Set<string> {
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
    out.add(`${path}.${k}`);
    schemaFields(p, `${path}.${k}`, out);
  }
  if (typeof s.additionalProperties === 'object')
    schemaFields(s.additionalProperties, `${path}.*`, out);
  if (s.items !== undefined) schemaFields(s.items, `${path}[]`, out);
  return out;
}

// setFields lists the same paths for the fields a document sets, guided by the schema.
function setFields(
  v: unknown,
  s: JSONSchemaProps | undefined,
  path: string,
  out: Set<string>,
): Set<string> {
  if (s === undefined || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    for (const x of v) setFields(x, s.items, `${path}[]`, out);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    const prop = s.properties?.[k];
    const values = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    const p = prop !== undefined ? `${path}.${k}` : `${path}.*`;
    out.add(p);
    setFields(x, prop ?? values, p, out);
  }
  return out;
}

describe('core/types against the CRD schemas', () => {
  for (const kind of CORRAL_KINDS) {
    const objects = FIXTURES.filter(f => f.kind === kind);

    it(`a fully populated ${kind} validates and survives pruning unchanged`, () => {
      expect(objects).to.not.have.length(0);
      for (const obj of objects) {
        const copy = structuredClone(obj) as Record<string, unknown>;
        expect(validate(copy, schemaOf(kind))).to.deep.equal([]);
        expect(prune(copy, schemaOf(kind)).pruned).to.deep.equal([]);
        expect(copy).to.deep.equal(obj);
      }
    });

    it(`the ${kind} fixtures set every field of the schema, so the type has them all`, () => {
      const all = schemaFields(schemaOf(kind), '', new Set());
      const set = new Set<string>();
      for (const obj of objects) setFields(obj, schemaOf(kind), '', set);
      expect([...all].filter(p => !set.has(p))).to.deep.equal([]);
    });
  }
});
