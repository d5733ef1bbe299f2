import { expect } from 'chai';
import type { Resources } from '../../../../../core/resources/index.ts';
import { makeResource } from '../../../../../core/resources/index.ts';
import type { OfferOperation } from '../../../../../core/types/index.ts';
import type { AcceptOptions } from './builders.ts';
import {
  ALL_AGENT_CAPS,
  RESERVE,
  UNRESERVE,
  accept,
  dynamicRes,
  items,
  opResult,
  res,
  reserved,
  volume,
} from './builders.ts';

// Each row: the Mesos test it mirrors, what is offered, the operation, and the error it must give
// (undefined: the operation applies).
type Row = readonly [string, Resources, OfferOperation, RegExp | undefined, AcceptOptions?];

const noCap = (cap: string): AcceptOptions => ({
  agent: { capabilities: ALL_AGENT_CAPS.filter(c => c !== cap) },
});

const reserveRows: Row[] = [
  [
    'ReserveOperationValidationTest.MatchingRole',
    res('cpus:8'),
    RESERVE(reserved('cpus:8')),
    undefined,
  ],
  [
    'ReserveOperationValidationTest.MatchingPrincipal',
    res('cpus:8'),
    RESERVE(reserved('cpus:8', 'role', 'principal')),
    undefined,
  ],
  [
    'ReserveOperationValidationTest.NonMatchingPrincipal',
    res('cpus:8'),
    RESERVE(reserved('cpus:8', 'role', 'other')),
    /authenticated principal 'principal', which does not match .* principal 'other'/,
  ],
  [
    'ReserveOperationValidationTest.ReservationInfoMissingPrincipal',
    res('cpus:8'),
    RESERVE(reserved('cpus:8', 'role', null)),
    /no principal set/,
  ],
  [
    'ReserveOperationValidationTest.StaticReservation',
    res('cpus:8'),
    { type: 'RESERVE', reserve: { resources: items(res('cpus(role):8')) } },
    /is not dynamically reserved/,
  ],
  [
    'ReserveOperationValidationTest.NoPersistentVolumes (a volume is not reserved by RESERVE)',
    res('disk:128'),
    RESERVE(
      res('disk:128').add(volume('128', { id: 'id1', stack: [{ type: 'STATIC', role: 'role' }] })),
    ),
    /is not dynamically reserved/,
  ],
  [
    'ReserveOperationValidationTest.MismatchedAllocation',
    res('cpus:8'),
    RESERVE(reserved('cpus:8', 'role1')),
    /with role 'role1', but the resource was allocated to role 'role'/,
    { framework: { roles: ['role', 'role1'] } },
  ],
  [
    'ReserveOperationValidationTest.UnexpectedAllocatedResource (another role allocation)',
    res('cpus:8'),
    RESERVE(reserved('cpus:8').allocate('other')),
    /Operation attempted with invalid resources: allocationRole: is 'other', not the offer's role 'role'/,
  ],
  [
    'ReserveOperationValidationTest.AgentHierarchicalRoleCapability',
    res('cpus:8'),
    RESERVE(reserved('cpus:8', 'a/b')),
    /hierarchical role 'a\/b' cannot be reserved on an agent without HIERARCHICAL_ROLE/,
    { role: 'a/b', ...noCap('HIERARCHICAL_ROLE') },
  ],
  [
    'ReserveOperationValidationTest.MultipleResourceProviders',
    res('cpus:8'),
    RESERVE(
      reserved('cpus:4').add(
        makeResource({
          name: 'cpus',
          value: { type: 'SCALAR', scalar: res('cpus:4').scalar('cpus') },
          reservations: [dynamicRes('role', 'principal')],
          providerId: 'rp1',
        }),
      ),
    ),
    /Some resources have a resource provider and some do not/,
  ],
  [
    'ResourceValidationTest.RevocableDynamicReservation',
    res('cpus:8'),
    RESERVE(
      reserved('cpus:8')
        .toArray()
        .map(r => ({ ...r, revocable: true }))
        .reduce((a, r) => a.add(r), res('')),
    ),
    /cannot be created from revocable resources/,
  ],
  [
    'refined reservation on an agent without RESERVATION_REFINEMENT',
    res('cpus:8').pushReservation(dynamicRes('eng', 'principal')),
    RESERVE(
      res('cpus:8')
        .pushReservation(dynamicRes('eng', 'principal'))
        .pushReservation(dynamicRes('eng/a', 'principal')),
    ),
    /with reservation refinement cannot be reserved on an agent without RESERVATION_REFINEMENT/,
    { role: 'eng/a', ...noCap('RESERVATION_REFINEMENT') },
  ],
  [
    'refined reservation by a framework without RESERVATION_REFINEMENT',
    res('cpus:8').pushReservation(dynamicRes('eng', 'principal')),
    RESERVE(
      res('cpus:8')
        .pushReservation(dynamicRes('eng', 'principal'))
        .pushReservation(dynamicRes('eng/a', 'principal')),
    ),
    /does not have the RESERVATION_REFINEMENT capability/,
    { role: 'eng/a', framework: { capabilities: [] } },
  ],
  [
    'a framework reserves only for its roles',
    res('cpus:8'),
    RESERVE(reserved('cpus:8')),
    /framework can only reserve resources with roles 'other'/,
    { framework: { roles: ['other'] } },
  ],
  ['an empty RESERVE is refused', res('cpus:8'), RESERVE(res('')), /Resources cannot be empty/],
  [
    'a RESERVE without its payload',
    res('cpus:8'),
    { type: 'RESERVE' },
    /A RESERVE offer operation must have the Offer.Operation.reserve field set/,
  ],
];

const unreserveRows: Row[] = [
  [
    'UnreserveOperationValidationTest.WithoutACL (any principal may unreserve)',
    reserved('cpus:8', 'role', 'someone-else'),
    UNRESERVE(reserved('cpus:8', 'role', 'someone-else')),
    undefined,
  ],
  [
    'UnreserveOperationValidationTest.FrameworkMissingPrincipal',
    reserved('cpus:8'),
    UNRESERVE(reserved('cpus:8')),
    undefined,
    { anonymous: true },
  ],
  [
    'UnreserveOperationValidationTest.StaticReservation',
    res('cpus(role):8'),
    UNRESERVE(res('cpus(role):8')),
    /is not dynamically reserved/,
  ],
  [
    'UnreserveOperationValidationTest.NoPersistentVolumes',
    res('').add(volume('128', { id: 'id1' })),
    UNRESERVE(res('').add(volume('128', { id: 'id1' }))),
    /cannot be unreserved directly. Please destroy the persistent volume first/,
  ],
];

describe('offer engine: RESERVE and UNRESERVE validation (Mesos master_validation_tests.cpp)', () => {
  for (const [name, offered, op, error, opts] of [...reserveRows, ...unreserveRows]) {
    it(`${name}: ${error === undefined ? 'applies' : `drops it (${error.source})`}`, () => {
      const plan = accept(offered, [op], opts);
      const result = opResult(plan, 0);
      if (error === undefined) {
        expect(result.state, result.message).to.equal('OPERATION_PENDING');
      } else {
        expect(result.state).to.equal('OPERATION_ERROR');
        expect(result.message).to.match(error);
        // A dropped operation changes nothing; everything offered is declined.
        expect(plan.changes).to.deep.equal([]);
        expect(plan.declined.equals(offered)).to.equal(true);
      }
    });
  }
});
