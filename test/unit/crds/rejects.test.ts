import { expect } from 'chai';
import type { CauseType } from '../../../core/errors/index.ts';
import { SAMPLE_DIR, admit, readYaml } from './load-crds.ts';

type Doc = Record<string, unknown>;
type Edit = (doc: Doc) => void;

// locate walks a path such as `spec.resources[0].name` to the container of its last step.
function locate(doc: Doc, path: string): [Record<string | number, unknown>, string | number] {
  const steps = path.split(/\.|\[(\d+)\]/).filter(s => s !== undefined && s !== '');
  const keys = steps.map(s => (/^\d+$/.test(s) ? Number(s) : s));
  let node = doc as Record<string | number, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  return [node, keys.at(-1) ?? ''];
}
const set =
  (path: string, value: unknown): Edit =>
  doc => {
    const [node, key] = locate(doc, path);
    node[key] = value;
  };
const del =
  (path: string): Edit =>
  doc => {
    const [node, key] = locate(doc, path);
    delete node[key]; // eslint-disable-line @typescript-eslint/no-dynamic-delete
  };
const push =
  (path: string, value: unknown): Edit =>
  doc => {
    const [node, key] = locate(doc, path);
    (node[key] as unknown[]).push(value);
  };

interface Case {
  readonly name: string;
  readonly sample: string;
  readonly change: Edit;
  readonly field: string;
  readonly reason: CauseType;
}

const CASES: Case[] = [
  // Role names, as Mesos's roles::validate rejects them.
  {
    name: 'a role starting with a dash',
    sample: 'framework',
    change: set('spec.roles[0]', '-db'),
    field: 'spec.roles[0]',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a role with a `..` component',
    sample: 'framework',
    change: set('spec.roles[1]', 'databases/..'),
    field: 'spec.roles[1]',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a role with a space',
    sample: 'role',
    change: set('spec.role', 'data eng'),
    field: 'spec.role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a role with a double slash',
    sample: 'role',
    change: set('spec.role', 'a//b'),
    field: 'spec.role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a role with a trailing slash',
    sample: 'role',
    change: set('spec.role', 'a/'),
    field: 'spec.role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a `*` component below the top',
    sample: 'role',
    change: set('spec.role', 'a/*'),
    field: 'spec.role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a reservation for `*`',
    sample: 'reservation',
    change: set('spec.resources[0].reservations[0].role', '*'),
    field: 'spec.resources[0].reservations[0].role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'quota on a nested role',
    sample: 'quota',
    change: set('spec.role', 'databases/pg'),
    field: 'spec.role',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a suppressed role the framework does not subscribe to',
    sample: 'framework',
    change: set('spec.suppressedRoles', ['analytics']),
    field: 'spec.suppressedRoles[0]',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'two roles without MULTI_ROLE',
    sample: 'framework',
    change: set('spec.capabilities', ['PARTITION_AWARE']),
    field: 'spec.roles',
    reason: 'FieldValueInvalid',
  },
  // Quantities.
  {
    name: 'a negative quantity (number)',
    sample: 'quota',
    change: set('spec.guarantees.cpus', -1),
    field: 'spec.guarantees.cpus',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a negative quantity (string)',
    sample: 'agent',
    change: set('spec.resources.mem', '-4Gi'),
    field: 'spec.resources.mem',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a quantity that is not one',
    sample: 'quota',
    change: set('spec.limits.mem', 'abc'),
    field: 'spec.limits.mem',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'an unquoted fraction',
    sample: 'quota',
    change: set('spec.guarantees.cpus', 0.5),
    field: 'spec.guarantees.cpus',
    reason: 'FieldValueTypeInvalid',
  },
  {
    name: 'ports that are not ranges',
    sample: 'agent',
    change: set('spec.resources.ports', '31000-'),
    field: 'spec.resources.ports',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'cpus written as ranges',
    sample: 'agent',
    change: set('spec.resources.cpus', '1-4'),
    field: 'spec.resources.cpus',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a guarantee above its limit',
    sample: 'quota',
    change: set('spec.guarantees.cpus', 25),
    field: 'spec.guarantees.cpus',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a mem guarantee above its limit in other units',
    sample: 'quota',
    change: set('spec.guarantees.mem', 98305),
    field: 'spec.guarantees.mem',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a cpu limit below the request',
    sample: 'task',
    change: set('spec.limits.cpus', '3500m'),
    field: 'spec.limits.cpus',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a weight of zero',
    sample: 'role',
    change: set('spec.weight', 0),
    field: 'spec.weight',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a refusal longer than a year',
    sample: 'offer',
    change: set('spec.response.accept.filters.refuseSeconds', 31536001),
    field: 'spec.response.accept.filters.refuseSeconds',
    reason: 'FieldValueInvalid',
  },
  // Closed sets.
  {
    name: 'an unknown disk source type',
    sample: 'volume',
    change: set('spec.resource.disk.source.type', 'NFS'),
    field: 'spec.resource.disk.source.type',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'an unknown task state',
    sample: 'task',
    change: set('status', { state: 'TASK_SLEEPING' }),
    field: 'status.state',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'an unknown task reason',
    sample: 'task',
    change: set('status', { reason: 'REASON_BAD_LUCK' }),
    field: 'status.reason',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'an unknown agent capability',
    sample: 'agent',
    change: push('spec.capabilities', 'TELEPORT'),
    field: 'spec.capabilities[8]',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'an unknown operation state',
    sample: 'operation',
    change: set('status', { state: 'OPERATION_MAYBE' }),
    field: 'status.state',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'an unknown network mode',
    sample: 'task',
    change: set('spec.networkMode', 'bridge'),
    field: 'spec.networkMode',
    reason: 'FieldValueNotSupported',
  },
  {
    name: 'a reconfiguration policy Mesos lacks',
    sample: 'agent',
    change: set('spec.reconfigurationPolicy', 'anything'),
    field: 'spec.reconfigurationPolicy',
    reason: 'FieldValueNotSupported',
  },
  // Required fields and types.
  {
    name: 'a task without an agent',
    sample: 'task',
    change: del('spec.agent'),
    field: 'spec.agent',
    reason: 'FieldValueRequired',
  },
  {
    name: 'an offer without a role',
    sample: 'offer',
    change: del('spec.role'),
    field: 'spec.role',
    reason: 'FieldValueRequired',
  },
  {
    name: 'a resource without a name',
    sample: 'reservation',
    change: del('spec.resources[0].name'),
    field: 'spec.resources[0].name',
    reason: 'FieldValueRequired',
  },
  {
    name: 'an agent without a hostname',
    sample: 'agent',
    change: del('spec.hostname'),
    field: 'spec.hostname',
    reason: 'FieldValueRequired',
  },
  {
    name: 'a weight given as a word',
    sample: 'role',
    change: set('spec.weight', 'heavy'),
    field: 'spec.weight',
    reason: 'FieldValueTypeInvalid',
  },
  {
    name: 'capabilities given as a string',
    sample: 'agent',
    change: set('spec.capabilities', 'MULTI_ROLE'),
    field: 'spec.capabilities',
    reason: 'FieldValueTypeInvalid',
  },
  {
    name: 'a duplicate role',
    sample: 'framework',
    change: push('spec.roles', 'databases'),
    field: 'spec.roles[2]',
    reason: 'FieldValueDuplicate',
  },
  // Cross-field rules.
  {
    name: 'an answer that accepts and declines',
    sample: 'offer',
    change: set('spec.response.decline', {}),
    field: 'spec.response.decline',
    reason: 'FieldValueForbidden',
  },
  {
    name: 'an operation id on a LAUNCH',
    sample: 'offer',
    change: set('spec.response.accept.operations[1].id', 'launch-1'),
    field: 'spec.response.accept.operations[1].id',
    reason: 'FieldValueForbidden',
  },
  {
    name: 'a RESERVE without its resources',
    sample: 'operation',
    change: set('spec.type', 'UNRESERVE'),
    field: 'spec.unreserve',
    reason: 'FieldValueRequired',
  },
  {
    name: 'a volume made read-only',
    sample: 'volume',
    change: set('spec.resource.disk.volume.mode', 'RO'),
    field: 'spec.resource.disk.volume.mode',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'a reservation stack that is not a refinement',
    sample: 'reservation',
    change: push('spec.resources[0].reservations', { type: 'DYNAMIC', role: 'analytics' }),
    field: 'spec.resources[0].reservations',
    reason: 'FieldValueInvalid',
  },
  {
    name: 'seccomp unconfined with a profile',
    sample: 'task',
    change: set('spec.seccomp.unconfined', true),
    field: 'spec.seccomp.profileName',
    reason: 'FieldValueForbidden',
  },
];

describe('wrong documents are rejected with the field path', () => {
  for (const c of CASES) {
    it(`rejects ${c.name} at ${c.field}`, () => {
      const doc = readYaml(SAMPLE_DIR, `${c.sample}.yaml`) as Doc;
      c.change(doc);
      const { causes } = admit(doc);
      const found = causes.find(x => x.field === c.field);
      expect(found, JSON.stringify(causes)).to.not.equal(undefined);
      expect(found?.reason).to.equal(c.reason);
    });
  }

  it('reports a misspelt field as pruned (a Strict apply rejects it)', () => {
    const doc = readYaml(SAMPLE_DIR, 'quota.yaml') as Doc;
    set('spec.limit', { cpus: 1 })(doc);
    expect(admit(doc).pruned).to.deep.equal(['spec.limit']);
  });
});
