// Fully populated objects of every kind, built with the core/types types so tsc checks them
// against the TypeScript side. Between them, the objects of a kind set every field its schema
// has (round-trip.test.ts checks that), so the types and the schemas must agree both ways.
// They are schema-valid, not meaningful: a resource here carries scalar, ranges and set at once.
import type {
  Agent,
  Command,
  Condition,
  Framework,
  Offer,
  OfferOperation,
  Operation,
  OperationPayload,
  Quota,
  Reservation,
  ResourceItem,
  ResourceProvider,
  Role,
  Task,
  TaskTemplateSpec,
  Volume,
} from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';

const apiVersion = CORRAL_API_VERSION;
const T = '2025-11-21T06:00:00Z';

/** CONDITIONS is a full condition list. */
export const CONDITIONS: Condition[] = [
  {
    type: 'Ready',
    status: 'True',
    observedGeneration: 3,
    lastTransitionTime: T,
    reason: 'Registered',
    message: 'ok',
  },
];

/** FULL_RESOURCE sets every field of the list form of a resource. */
export const FULL_RESOURCE: ResourceItem = {
  name: 'disk',
  type: 'SCALAR',
  scalar: '100Gi',
  ranges: '31000-31010,31020',
  set: ['a', 'b'],
  reservations: [
    { type: 'STATIC', role: 'eng' },
    { type: 'DYNAMIC', role: 'eng/ml', principal: 'alice', labels: { team: 'ml' } },
  ],
  disk: {
    persistence: { id: 'vol-1', principal: 'alice' },
    volume: { containerPath: 'data', mode: 'RW' },
    source: {
      type: 'MOUNT',
      root: '/mnt/ssd0',
      vendor: 'org.example',
      id: 'csi-1',
      profile: 'fast',
      metadata: { k: 'v' },
    },
  },
  revocable: false,
  shared: true,
  providerId: 'rp-1',
  allocationRole: 'eng/ml',
};

/** FULL_COMMAND sets every field of a command. */
export const FULL_COMMAND: Command = {
  value: 'exec redis-server',
  shell: true,
  arguments: ['redis-server', '--port', '31379'],
  user: 'redis',
  uris: [
    {
      value: 'https://example.com/a.tgz',
      executable: false,
      extract: true,
      cache: true,
      outputFile: 'a.tgz',
    },
  ],
};

/** FULL_TEMPLATE sets every field of a task's container (health check members all set). */
export const FULL_TEMPLATE: TaskTemplateSpec = {
  resources: { cpus: '1.5', mem: '2Gi', disk: 1024, ports: '31379', gpus: 0 },
  limits: { cpus: 2, mem: 'Infinity' },
  image: 'docker.io/library/redis:7',
  command: FULL_COMMAND,
  env: [{ name: 'A', value: '1' }],
  volumes: [
    {
      containerPath: 'data',
      mode: 'RO',
      persistentVolume: { name: 'vol-1' },
      hostPath: { path: '/srv/data' },
      sandboxPath: { type: 'PARENT', path: 'shared' },
    },
  ],
  seccomp: { profileName: 'default.json', unconfined: false },
  networkMode: 'own',
  ports: [{ name: 'redis', port: 6379, hostPort: 31379, protocol: 'TCP' }],
  healthCheck: {
    type: 'HTTP',
    command: FULL_COMMAND,
    http: { port: 8080, path: '/health', scheme: 'https' },
    tcp: { port: 6379 },
    delaySeconds: 5,
    intervalSeconds: 2.5,
    timeoutSeconds: 1,
    consecutiveFailures: 2,
    gracePeriodSeconds: 30,
  },
  killPolicy: { gracePeriodSeconds: 10, signal: 'SIGQUIT' },
  maxCompletionTimeSeconds: 3600,
};

/** FULL_PAYLOAD sets every payload member of a resource operation. */
export const FULL_PAYLOAD: Required<OperationPayload> = {
  reserve: { resources: [FULL_RESOURCE] },
  unreserve: { resources: [FULL_RESOURCE] },
  create: { volumes: [FULL_RESOURCE] },
  destroy: { volumes: [FULL_RESOURCE] },
  growVolume: { volume: FULL_RESOURCE, addition: FULL_RESOURCE },
  shrinkVolume: { volume: FULL_RESOURCE, subtract: '10Gi' },
  createDisk: { source: FULL_RESOURCE, targetType: 'BLOCK', targetProfile: 'fast' },
  destroyDisk: { source: FULL_RESOURCE },
};

const FULL_OFFER_OPERATION: OfferOperation = {
  type: 'LAUNCH',
  id: 'op-1',
  launch: { tasks: [{ name: 'task-1', labels: { app: 'redis' }, spec: FULL_TEMPLATE }] },
  launchGroup: { tasks: [{ name: 'task-2', labels: { app: 'redis' }, spec: FULL_TEMPLATE }] },
  ...FULL_PAYLOAD,
};

/** FIXTURES are the fully populated objects, several for a kind where one cannot hold all. */
export const FIXTURES: readonly (
  | Agent
  | Framework
  | Role
  | Quota
  | Offer
  | Reservation
  | Volume
  | Task
  | Operation
  | ResourceProvider
)[] = [
  {
    apiVersion,
    kind: 'Agent',
    metadata: { name: 'node-1', labels: { rack: 'r1' } },
    spec: {
      hostname: 'node-1.example.com',
      resources: { cpus: 8, mem: '32Gi', disk: '100Gi', ports: '[31000-32000]', zones: '{a,b}' },
      additionalResources: [FULL_RESOURCE],
      attributes: { rack: 'r1' },
      faultDomain: { region: 'eu', zone: 'eu-1a' },
      capabilities: ['MULTI_ROLE', 'RESIZE_VOLUME'],
      reconfigurationPolicy: 'additive',
      unschedulable: false,
      drain: { maxGracePeriodSeconds: 30, markGone: false },
      gone: false,
    },
    status: {
      observedGeneration: 3,
      conditions: CONDITIONS,
      allocated: { cpus: '2.5', ports: '31000-31010' },
      revocableEstimate: { cpus: 2 },
      lastHeartbeatTime: T,
      drainState: 'DRAINING',
      apiEndpoint: 'http://127.0.0.1:41234',
    },
  },
  {
    apiVersion,
    kind: 'Framework',
    metadata: { name: 'fw-1', namespace: 'team-a' },
    spec: {
      roles: ['*', 'eng/ml'],
      capabilities: ['MULTI_ROLE', 'GPU_RESOURCES'],
      principal: 'fw-1',
      failoverTimeoutSeconds: 604800.5,
      offerFilters: [{ role: 'eng/ml', minAllocatableResources: [{ cpus: '0.5', mem: 32 }] }],
      suppressedRoles: ['eng/ml'],
    },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      allocated: { cpus: 1 },
      offered: { mem: '1Gi' },
    },
  },
  {
    apiVersion,
    kind: 'Role',
    metadata: { name: 'eng-ml' },
    spec: { role: 'eng/ml', weight: 2.5 },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      frameworks: 2,
      allocated: { cpus: 1 },
      offered: { cpus: 1 },
      reserved: { cpus: 1 },
    },
  },
  {
    apiVersion,
    kind: 'Quota',
    metadata: { name: 'eng' },
    spec: { role: 'eng', guarantees: { cpus: 4, mem: '8Gi' }, limits: { cpus: '8', mem: 16384 } },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      consumed: { cpus: 1 },
      offered: { cpus: 1 },
      headroom: { cpus: 3 },
    },
  },
  {
    apiVersion,
    kind: 'Offer',
    metadata: { name: 'offer-1', namespace: 'team-a' },
    spec: {
      framework: 'fw-1',
      agent: 'node-1',
      hostname: 'node-1.example.com',
      role: 'eng/ml',
      resources: [FULL_RESOURCE],
      quantities: { cpus: 4, mem: '8Gi' },
      attributes: { rack: 'r1' },
      faultDomain: { region: 'eu', zone: 'eu-1a' },
      expirationTimestamp: T,
      response: {
        accept: { operations: [FULL_OFFER_OPERATION], filters: { refuseSeconds: 30 } },
        decline: { filters: { refuseSeconds: 0.5 } },
      },
    },
    status: { observedGeneration: 1, conditions: CONDITIONS },
  },
  {
    apiVersion,
    kind: 'Reservation',
    metadata: { name: 'rsv-1' },
    spec: { agent: 'node-1', role: 'eng/ml', resources: [FULL_RESOURCE] },
    status: { observedGeneration: 1, conditions: CONDITIONS },
  },
  {
    apiVersion,
    kind: 'Volume',
    metadata: { name: 'vol-1' },
    spec: { agent: 'node-1', role: 'eng/ml', resource: FULL_RESOURCE },
    status: { observedGeneration: 1, conditions: CONDITIONS, usedBy: ['team-a/task-1'] },
  },
  {
    apiVersion,
    kind: 'Task',
    metadata: { name: 'task-1', namespace: 'team-a' },
    spec: {
      agent: 'node-1',
      framework: 'fw-1',
      role: 'eng/ml',
      offer: 'offer-1',
      group: 'group-1',
      allocatedResources: [FULL_RESOURCE],
      ...FULL_TEMPLATE,
    },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION',
      source: 'SOURCE_AGENT',
      message: 'listened on an unallocated port',
      healthy: false,
      lastTransitionTime: T,
      unreachableTime: T,
      containerStatus: { containerId: 'c-1', pid: 4242, exitCode: 137, ipAddresses: ['10.0.0.5'] },
      limitation: { resources: { ports: '8080' } },
    },
  },
  {
    apiVersion,
    kind: 'Operation',
    metadata: { name: 'op-1', namespace: 'team-a' },
    spec: {
      type: 'RESERVE',
      agent: 'node-1',
      framework: 'fw-1',
      offer: 'offer-1',
      resourceProvider: 'rp-1',
      ...FULL_PAYLOAD,
      // an Operation's RESERVE may carry the reservation update's source (an offer's may not)
      reserve: { resources: [FULL_RESOURCE], source: [FULL_RESOURCE] },
    },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      state: 'OPERATION_FINISHED',
      message: 'done',
      lastTransitionTime: T,
      convertedResources: [FULL_RESOURCE],
    },
  },
  {
    apiVersion,
    kind: 'ResourceProvider',
    metadata: { name: 'rp-1' },
    spec: {
      agent: 'node-1',
      type: 'org.apache.mesos.rp.local.storage',
      name: 'lvm',
      defaultReservations: [{ type: 'DYNAMIC', role: 'eng', principal: 'ops', labels: { a: 'b' } }],
      storage: {
        plugin: {
          type: 'org.apache.mesos.csi.lvm',
          name: 'lvm',
          containers: [
            {
              services: ['CONTROLLER_SERVICE', 'NODE_SERVICE'],
              image: 'registry.example.com/lvm:1',
              command: FULL_COMMAND,
              resources: { cpus: '0.1', mem: '128Mi' },
            },
          ],
          endpoints: [{ services: ['NODE_SERVICE'], endpoint: 'unix:///run/csi.sock' }],
          targetPathRoot: '/var/lib/csi',
        },
        profiles: [{ name: 'fast', volumeMode: 'BLOCK', fsType: 'xfs', parameters: { raid: '1' } }],
        reconciliationIntervalSeconds: 60,
      },
    },
    status: {
      observedGeneration: 1,
      conditions: CONDITIONS,
      resources: [FULL_RESOURCE],
      resourceVersionUuid: '4f1c6a2e-0000-4000-8000-000000000000',
    },
  },
];
