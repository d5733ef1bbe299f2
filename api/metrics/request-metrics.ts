import type { Response } from 'express';
import type { RequestObserver, ResourceRequest } from '../handlers/context.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import type { CellCounter, CellGauge, CellHistogram, CounterCell, HistogramCell } from './cells.ts';
import { REQUEST_VERBS, requestKind, requestVerb, type RequestVerb } from './verb.ts';

/** RequestMetricSet are the metrics RequestMetrics updates. */
export interface RequestMetricSet {
  /** total: apiserver_request_total{verb,group,resource,subresource,code}. */
  readonly total: CellCounter;
  /** duration: apiserver_request_duration_seconds{verb,group,resource,subresource}. */
  readonly duration: CellHistogram;
  /** inflight: apiserver_current_inflight_requests{request_kind}. */
  readonly inflight: CellGauge;
  /** watchers: apiserver_registered_watchers{group,resource}. */
  readonly watchers: CellGauge;
}

// The subresources resolveRequest lets through; anything else is a 404 before dispatch.
const SUBRESOURCES = ['', 'status', 'scale'] as const;
const VERB_INDEX = new Map<RequestVerb, number>(REQUEST_VERBS.map((v, i) => [v, i]));

interface RouteOptions {
  readonly set: RequestMetricSet;
  readonly verb: RequestVerb;
  readonly info: ResourceInfo;
  readonly sub: string;
  readonly now: () => number;
}

/**
 * Route is one (verb, resource, subresource)'s cells, made on its first request and kept: the
 * request path then only bumps numbers. `level` is the inflight cell of its request kind, or for
 * a watch its resource's registered-watchers cell (a watch is long-running: kube keeps it out
 * of the inflight count and out of the duration histogram).
 */
class Route {
  readonly #total: CellCounter;
  readonly #labels: { verb: string; group: string; resource: string; subresource: string };
  readonly #codes = new Map<number, CounterCell>();
  readonly duration: HistogramCell | undefined;
  readonly level: CounterCell;
  readonly now: () => number;

  constructor(o: RouteOptions) {
    const { set, verb, info } = o;
    const labels = { verb, group: info.group, resource: info.plural, subresource: o.sub };
    this.#total = set.total;
    this.#labels = labels;
    this.duration = verb === 'WATCH' ? undefined : set.duration.cell(labels);
    this.level =
      verb === 'WATCH'
        ? set.watchers.cell({ group: info.group, resource: info.plural })
        : set.inflight.cell({ request_kind: requestKind(verb) });
    this.now = o.now;
  }

  /** code is the request counter of one status code. */
  code(status: number): CounterCell {
    let c = this.#codes.get(status);
    if (c === undefined) {
      c = this.#total.cell({ ...this.#labels, code: String(status) });
      this.#codes.set(status, c);
    }
    return c;
  }
}

// What begin leaves on the response for onClose: symbol keys, so nothing else reads them, and
// no per-request closure.
const ROUTE = Symbol('requestMetrics.route');
const STARTED = Symbol('requestMetrics.started');
interface Tracked {
  [ROUTE]: Route;
  [STARTED]: number;
  readonly statusCode: number;
}

// onClose records a finished request. `close` (not `finish`) also fires when the client goes
// away first, which is how most watches end.
function onClose(this: Tracked): void {
  const route = this[ROUTE];
  route.level.value -= 1;
  route.code(this.statusCode).value += 1;
  route.duration?.observe((route.now() - this[STARTED]) / 1000);
}

/**
 * RequestMetrics counts and times resource requests from the moment dispatch starts one (after
 * authentication, authorization and reading the body) until its response closes. Requests that
 * never reach dispatch (401, 403, unknown resources, non-resource URLs) are not recorded, as
 * kube records only what reaches its resource handlers; that also keeps the label values to
 * the served resources. Per request: the verb, one WeakMap and one array lookup, a clock read,
 * two symbol properties and one shared `close` listener.
 */
export class RequestMetrics implements RequestObserver {
  readonly #set: RequestMetricSet;
  readonly #now: () => number;
  // per ResourceInfo (weak: a CRD's replaced info goes away), one route per verb × subresource
  readonly #routes = new WeakMap<ResourceInfo, (Route | undefined)[]>();

  /** now is a monotonic clock in milliseconds (performance.now by default). */
  constructor(set: RequestMetricSet, now: () => number = () => performance.now()) {
    this.#set = set;
    this.#now = now;
  }

  /** begin starts recording one request (RequestObserver). */
  begin(r: ResourceRequest): void {
    const req = r.req;
    const method = req.method;
    const verb = requestVerb({
      method,
      hasName: r.name !== undefined,
      watch: r.query['watch'],
      contentType: method === 'PATCH' ? req.headers['content-type'] : undefined,
    });
    const route = this.#route(r.info, verb, r.subresource ?? '');
    route.level.value += 1;
    const res = r.res as Response & Tracked;
    res[ROUTE] = route;
    res[STARTED] = this.#now();
    res.on('close', onClose);
  }

  #route(info: ResourceInfo, verb: RequestVerb, sub: string): Route {
    const subIndex = SUBRESOURCES.indexOf(sub as (typeof SUBRESOURCES)[number]);
    // resolveRequest lets no other subresource through; should one come, it is labelled right
    // but not kept
    if (subIndex < 0) return new Route({ set: this.#set, verb, info, sub, now: this.#now });
    let table = this.#routes.get(info);
    if (table === undefined) {
      table = [];
      this.#routes.set(info, table);
    }
    const slot = (VERB_INDEX.get(verb) ?? 0) * SUBRESOURCES.length + subIndex;
    let route = table[slot];
    if (route === undefined) {
      route = new Route({ set: this.#set, verb, info, sub, now: this.#now });
      table[slot] = route;
    }
    return route;
  }
}
