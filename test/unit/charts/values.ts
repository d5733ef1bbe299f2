// Values files the chart tests render: one that sets every optional value the chart has.

/** NON_DEFAULT_VALUES: 3 etcd members, own Secrets, every controllers flag, a described agent. */
export const NON_DEFAULT_VALUES = {
  image: { repository: 'registry.example/corral', tag: '1.2.3', pullPolicy: 'Always' },
  imagePullSecrets: [{ name: 'pull' }],
  etcd: {
    replicas: 3,
    persistence: { enabled: true, storageClass: 'fast', size: '20Gi' },
    extraArgs: ['--snapshot-count=5000'],
  },
  apiserver: {
    replicas: 3,
    port: 7443,
    service: { type: 'LoadBalancer', port: 8443, annotations: { team: 'infra' } },
    tls: { existingSecret: 'my-tls', extraSANs: [], caValidityDays: 10, validityDays: 5 },
    logLevel: 'debug',
  },
  auth: { existingSecret: 'my-tokens' },
  controllers: {
    replicas: 3,
    leaseNamespace: 'corral-leases',
    metrics: { enabled: true, port: 9102 },
    flags: {
      allocationInterval: '250ms',
      fairnessExcludedResourceNames: ['gpus', 'fpgas'],
      minAllocatableResources: 'cpus:0.5;mem:256|gpus:1',
      offerTimeout: '5m',
      defaultRefuseSeconds: 10,
      agentPingTimeout: '3s',
      maxAgentPingTimeouts: 4,
      operationRetention: '1h',
      operationConfirmGrace: '20s',
      reservationRetry: '30s',
      frameworkTimeout: '1m',
      missingAgentGrace: '2m',
      offerWorkers: 24,
      apiConnections: 96,
    },
  },
  agent: {
    node: {
      resources: 'cpus:4;mem:8192;disk:20000;ports:[31000-32000]',
      attributes: { rack: 'r1', zone: 'a', level: 3 },
      faultDomain: 'eu-west/eu-west-1a',
    },
    reconfigurationPolicy: 'additive',
    workDir: '/srv/corral',
    apiPort: 5151,
    allowedHostPathParents: ['/data', '/scratch'],
    intervals: { heartbeatInterval: 2, portsInterval: 60, diskInterval: 30, killGracePeriod: 10 },
    priorityClassName: 'system-node-critical',
    nodeSelector: { 'corral.dev/agent': 'true' },
    tolerations: [{ operator: 'Exists' }],
  },
};
