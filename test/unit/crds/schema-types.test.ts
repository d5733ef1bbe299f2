import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../api/registry/crd-types.ts';
import {
  parseResourceList,
  parseResourceMap,
  renderResourceList,
  renderResourceMap,
} from '../../../core/resources/index.ts';
import type { Agent, Reservation, ResourceItem, ResourceMap } from '../../../core/types/index.ts';
import {
  AGENT_CAPABILITIES,
  CSI_SERVICES,
  DISK_SOURCE_TYPES,
  DISK_TARGET_TYPES,
  DRAIN_STATES,
  FRAMEWORK_CAPABILITIES,
  HEALTH_CHECK_TYPES,
  KILL_SIGNALS,
  NETWORK_MODES,
  OFFER_OPERATION_TYPES,
  OPERATION_STATES,
  OPERATION_TYPES,
  PORT_PROTOCOLS,
  RECONFIGURATION_POLICIES,
  RESERVATION_TYPES,
  RESOURCE_VALUE_TYPES,
  SANDBOX_PATH_TYPES,
  TASK_REASONS,
  TASK_STATES,
  TASK_STATUS_SOURCES,
  VOLUME_MODES,
} from '../../../core/types/index.ts';
import { SAMPLE_DIR, admit, loadCrds, readYaml, schemaOf } from './load-crds.ts';

// node follows a dotted path of property names; `[]` steps into items.
function node(kind: string, path: string): JSONSchemaProps {
  let s: JSONSchemaProps | undefined = schemaOf(kind);
  for (const step of path.split('.')) {
    s = step === '[]' ? s?.items : s?.properties?.[step];
  }
  if (s === undefined) throw new Error(`${kind}: no schema at ${path}`);
  return s;
}

// bare drops descriptions, which may differ where a fragment is repeated.
function bare(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(bare);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'description')
      .map(([k, x]) => [k, k === 'properties' ? bareProps(x) : bare(x)]),
  );
}
const bareProps = (props: unknown): unknown =>
  Object.fromEntries(Object.entries(props as object).map(([k, x]) => [k, bare(x)]));

// walk visits every schema node of every CRD.
function walk(s: JSONSchemaProps, visit: (s: JSONSchemaProps) => void): void {
  visit(s);
  for (const p of Object.values(s.properties ?? {})) walk(p, visit);
  if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, visit);
  if (s.items !== undefined) walk(s.items, visit);
}

const ENUMS: [string, string, readonly string[]][] = [
  ['Agent', 'spec.capabilities.[]', AGENT_CAPABILITIES],
  ['Agent', 'spec.reconfigurationPolicy', RECONFIGURATION_POLICIES],
  ['Agent', 'status.drainState', DRAIN_STATES],
  ['Agent', 'spec.additionalResources.[].type', RESOURCE_VALUE_TYPES],
  ['Agent', 'spec.additionalResources.[].reservations.[].type', RESERVATION_TYPES],
  ['Agent', 'spec.additionalResources.[].disk.source.type', DISK_SOURCE_TYPES],
  ['Agent', 'spec.additionalResources.[].disk.volume.mode', VOLUME_MODES],
  ['Framework', 'spec.capabilities.[]', FRAMEWORK_CAPABILITIES],
  ['Offer', 'spec.response.accept.operations.[].type', OFFER_OPERATION_TYPES],
  ['Operation', 'spec.type', OPERATION_TYPES],
  ['Operation', 'status.state', OPERATION_STATES],
  ['Operation', 'spec.createDisk.targetType', DISK_TARGET_TYPES],
  ['Task', 'status.state', TASK_STATES],
  ['Task', 'status.reason', TASK_REASONS],
  ['Task', 'status.source', TASK_STATUS_SOURCES],
  ['Task', 'spec.networkMode', NETWORK_MODES],
  ['Task', 'spec.ports.[].protocol', PORT_PROTOCOLS],
  ['Task', 'spec.healthCheck.type', HEALTH_CHECK_TYPES],
  ['Task', 'spec.killPolicy.signal', KILL_SIGNALS],
  ['Task', 'spec.volumes.[].mode', VOLUME_MODES],
  ['Task', 'spec.volumes.[].sandboxPath.type', SANDBOX_PATH_TYPES],
  ['ResourceProvider', 'spec.storage.plugin.containers.[].services.[]', CSI_SERVICES],
];

describe('CRD enums and shared fragments', () => {
  for (const [kind, path, values] of ENUMS) {
    it(`${kind} ${path} lists exactly the TypeScript union's values`, () => {
      expect(node(kind, path).enum).to.deep.equal([...values]);
    });
  }

  it('spells a list-form resource the same way wherever one appears', () => {
    const reference = bare(node('Reservation', 'spec.resources.[]'));
    let seen = 0;
    for (const { crd } of loadCrds().values()) {
      walk(schemaOf(crd.spec.names.kind), s => {
        if (s.properties?.['reservations'] === undefined || s.properties['disk'] === undefined)
          return;
        expect(bare(s), crd.spec.names.kind).to.deep.equal(reference);
        seen++;
      });
    }
    expect(seen).to.be.greaterThan(20);
  });

  it('spells a LAUNCH task template as the Task spec without the placement fields', () => {
    const task = bare(node('Task', 'spec')) as JSONSchemaProps;
    const template = bare(node('Offer', 'spec.response.accept.operations.[].launch.tasks.[].spec'));
    const placement = ['agent', 'framework', 'role', 'offer', 'group', 'allocatedResources'];
    const props = Object.fromEntries(
      Object.entries(task.properties ?? {}).filter(([k]) => !placement.includes(k)),
    );
    expect(template).to.deep.equal({ type: 'object', required: ['resources'], properties: props });
    const group = bare(node('Offer', 'spec.response.accept.operations.[].launchGroup'));
    expect(group).to.deep.equal(bare(node('Offer', 'spec.response.accept.operations.[].launch')));
  });

  it('spells the operation payloads of an Operation as those of an accepted offer (RESERVE adds a source)', () => {
    const op = node('Operation', 'spec').properties ?? {};
    const offerOp = node('Offer', 'spec.response.accept.operations.[]').properties ?? {};
    for (const m of [
      'reserve',
      'unreserve',
      'create',
      'destroy',
      'growVolume',
      'shrinkVolume',
      'createDisk',
      'destroyDisk',
    ]) {
      const mine = bare(op[m]) as { properties?: Record<string, unknown> } | undefined;
      if (m === 'reserve') {
        // plus Mesos 1.10's reservation update source, which only an operator's Operation has
        const { source, ...rest } = mine?.properties ?? {};
        expect(source, 'reserve.source').to.deep.equal(mine?.properties?.['resources']);
        expect({ ...mine, properties: rest }, m).to.deep.equal(bare(offerOp[m]));
        continue;
      }
      expect(mine, m).to.deep.equal(bare(offerOp[m]));
    }
  });
});

describe('core/resources rendering against the schemas', () => {
  it('renders a resource list that is a ResourceItem[] the Reservation schema accepts', () => {
    const sample = readYaml(SAMPLE_DIR, 'reservation.yaml') as Reservation;
    const rendered: ResourceItem[] = renderResourceList(parseResourceList(sample.spec.resources));
    const doc: Reservation = { ...sample, spec: { ...sample.spec, resources: rendered } };
    const { pruned, causes } = admit(doc);
    expect(pruned).to.deep.equal([]);
    expect(causes).to.deep.equal([]);
  });

  it('renders a resource map that is a ResourceMap the Agent schema accepts', () => {
    const sample = readYaml(SAMPLE_DIR, 'agent.yaml') as Agent;
    const parsed = parseResourceMap({ ...sample.spec.resources, zones: '{a,b}' });
    const rendered: ResourceMap = renderResourceMap(parsed);
    const doc: Agent = { ...sample, spec: { ...sample.spec, resources: rendered } };
    const { pruned, causes } = admit(doc);
    expect(pruned).to.deep.equal([]);
    expect(causes).to.deep.equal([]);
  });
});
