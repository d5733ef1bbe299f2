import { expect } from 'chai';
import fc from 'fast-check';
import { parseQuantity, parseResourceMap, validateRole } from '../../../core/resources/index.ts';
import { schemaOf } from './load-crds.ts';

// The patterns as the CRDs spell them: any role, a reservation role, a quota role, a quantity,
// and a value of the resource map form.
const fw = schemaOf('Framework').properties?.['spec']?.properties;
const ROLE = new RegExp(fw?.['roles']?.items?.pattern ?? '', 'u');
const RESERVABLE = new RegExp(
  schemaOf('Reservation').properties?.['spec']?.properties?.['role']?.pattern ?? '',
  'u',
);
const TOP_LEVEL = new RegExp(
  schemaOf('Quota').properties?.['spec']?.properties?.['role']?.pattern ?? '',
  'u',
);
const quotaValues = schemaOf('Quota').properties?.['spec']?.properties?.['limits'];
const QUANTITY = new RegExp(
  typeof quotaValues?.additionalProperties === 'object'
    ? (quotaValues.additionalProperties.pattern ?? '')
    : '',
  'u',
);
const agentValues = schemaOf('Agent').properties?.['spec']?.properties?.['resources'];
const RESOURCE_VALUE = new RegExp(
  typeof agentValues?.additionalProperties === 'object'
    ? (agentValues.additionalProperties.pattern ?? '')
    : '',
  'u',
);

// Role-like strings: components built from the characters that matter to the rules.
const roleChars = fc.constantFrom('a', 'b', '.', '-', '*', '/', ' ', '\t', '\\', '\x7f', 'é');
const roleLike = fc.array(roleChars, { maxLength: 8 }).map(cs => cs.join(''));

const accepts = (s: string): boolean => {
  try {
    parseQuantity(s, { field: 'q', unit: 'count' });
    return true;
  } catch {
    return false;
  }
};

describe('schema patterns agree with core/resources', () => {
  it("accepts exactly the role names Mesos's roles::validate accepts", () => {
    fc.assert(
      fc.property(roleLike, role => {
        expect(ROLE.test(role), JSON.stringify(role)).to.equal(validateRole(role) === undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts as a reservation role every valid role but `*`', () => {
    fc.assert(
      fc.property(roleLike, role => {
        const want = validateRole(role) === undefined && role !== '*';
        expect(RESERVABLE.test(role), JSON.stringify(role)).to.equal(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts as a quota role `*` and every valid top-level role', () => {
    fc.assert(
      fc.property(roleLike, role => {
        const want = validateRole(role) === undefined && !role.includes('/');
        expect(TOP_LEVEL.test(role), JSON.stringify(role)).to.equal(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts the quantities the parser reads and rejects negatives and garbage', () => {
    const good = ['0', '2', '+3', '0.5', '.5', '5.', '500m', '4Gi', '1e3', '1E-2', '2k', '1E'];
    const bad = ['-1', '-0.5', 'abc', '', '1.2.3', '4GB', '1 Gi', 'Infinity', '0x10', '1e'];
    for (const q of good) expect(QUANTITY.test(q) && accepts(q), q).to.equal(true);
    for (const q of bad) expect(QUANTITY.test(q) || accepts(q), q).to.equal(false);
  });

  it('takes in the map form what parseResourceMap reads: quantities, ranges and sets', () => {
    const values: [string, string][] = [
      ['ports', '31000-32000'],
      ['ports', '[31000-32000, 33000-33010]'],
      ['ports', '31000-32000,33000'],
      ['zones', '{a,b}'],
      ['mem', '4Gi'],
      ['cpus', '0.25'],
    ];
    for (const [name, value] of values) {
      expect(RESOURCE_VALUE.test(value), value).to.equal(true);
      expect(() => parseResourceMap({ [name]: value }), value).not.to.throw();
    }
    for (const value of ['-1', 'abc', '31000-', '[1-2', '{a']) {
      expect(RESOURCE_VALUE.test(value), value).to.equal(false);
    }
  });
});
