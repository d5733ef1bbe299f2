import type { RequestHandler } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { CellCounter, CellGauge, CellHistogram } from './cells.ts';
import { EtcdMetrics } from './etcd-metrics.ts';
import { RequestMetrics } from './request-metrics.ts';

// kube-apiserver's buckets for apiserver_request_duration_seconds, 5 ms to 60 s, so recording
// rules written for kube (le="1", le="5") find the same bounds here
const REQUEST_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];
// the same plus two finer ones at the bottom: most etcd requests here take about a millisecond
const ETCD_BUCKETS = [0.001, 0.0025, ...REQUEST_BUCKETS];
// group commit batches hold at most DEFAULT_GROUP_COMMIT.maxOps (100) writes
const GROUP_COMMIT_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

/** ServerMetrics is one API server's metrics: its own registry and what feeds it. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** requests is the handlers' RequestObserver. */
  readonly requests: RequestMetrics;
  /** etcd is the storage's EtcdObserver. */
  readonly etcd: EtcdMetrics;
  /** serve answers GET /metrics with the text exposition of the registry. */
  readonly serve: RequestHandler;
}

/**
 * createServerMetrics builds an API server's metrics on a registry of its own (never
 * prom-client's global one, so two servers in one process keep apart), with prom-client's
 * default process and Node.js metrics (CPU, memory, event loop lag, GC) on it too.
 */
export function createServerMetrics(now?: () => number): ServerMetrics {
  const registry = new Registry();
  const total = new CellCounter({
    name: 'apiserver_request_total',
    help: 'Counter of resource requests, by verb, group, resource, subresource and HTTP code.',
    labelNames: ['verb', 'group', 'resource', 'subresource', 'code'],
  });
  const duration = new CellHistogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency of resource requests in seconds (watches excepted), by verb, group, resource and subresource.',
    labelNames: ['verb', 'group', 'resource', 'subresource'],
    buckets: REQUEST_BUCKETS,
  });
  const inflight = new CellGauge({
    name: 'apiserver_current_inflight_requests',
    help: 'Resource requests being served now (watches excepted), by request kind (readOnly, mutating).',
    labelNames: ['request_kind'],
  });
  const watchers = new CellGauge({
    name: 'apiserver_registered_watchers',
    help: 'Watches open now, by group and resource.',
    labelNames: ['group', 'resource'],
  });
  const etcdDuration = new CellHistogram({
    name: 'etcd_request_duration_seconds',
    help: 'Latency of etcd requests in seconds, by store operation and etcd request type (range, txn, compact).',
    labelNames: ['operation', 'type'],
    buckets: ETCD_BUCKETS,
  });
  const groupCommit = new CellHistogram({
    name: 'corral_etcd_group_commit_size',
    help: 'Writes carried by each etcd write transaction (1 = sent alone; more = a group commit).',
    labelNames: [],
    buckets: GROUP_COMMIT_BUCKETS,
  });
  for (const m of [total, duration, inflight, watchers, etcdDuration, groupCommit]) {
    registry.registerMetric(m);
  }
  // the two request kinds show from the start, at 0, as in kube
  inflight.cell({ request_kind: 'readOnly' });
  inflight.cell({ request_kind: 'mutating' });
  collectDefaultMetrics({ register: registry });

  const serve: RequestHandler = (_req, res, next) => {
    registry.metrics().then(text => {
      res.type(registry.contentType).send(text);
    }, next);
  };
  return {
    registry,
    requests: new RequestMetrics({ total, duration, inflight, watchers }, now),
    etcd: new EtcdMetrics({ duration: etcdDuration, groupCommit }, now),
    serve,
  };
}
