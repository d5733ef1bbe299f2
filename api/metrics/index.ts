// The API server's Prometheus metrics: the registry, the request and etcd recorders, /metrics.
export type { ServerMetrics } from './server-metrics.ts';
export { createServerMetrics } from './server-metrics.ts';
export { requestVerb, requestKind, type RequestVerb, type RequestKind } from './verb.ts';
export { etcdRequestType, type EtcdRequestType } from './etcd-metrics.ts';
