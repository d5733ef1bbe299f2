// Offer: one agent's resources for one role of one framework, and the framework's answer
// (mesos-features §0.4, §1.7, §1.8; DESIGN.md §3.3).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { OperationPayload, OperationType } from './operation.ts';
import type { FaultDomain, QuantityMap, ResourceItem } from './resources.ts';
import type { TaskTemplate } from './task-template.ts';

/** OFFER_OPERATION_TYPES lists what an ACCEPT can do: launch, plus every resource operation. */
export const OFFER_OPERATION_TYPES = [
  'LAUNCH',
  'LAUNCH_GROUP',
  'RESERVE',
  'UNRESERVE',
  'CREATE',
  'DESTROY',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'CREATE_DISK',
  'DESTROY_DISK',
] as const satisfies readonly (OperationType | 'LAUNCH' | 'LAUNCH_GROUP')[];

/** OfferOperationType is one operation of an ACCEPT. */
export type OfferOperationType = (typeof OFFER_OPERATION_TYPES)[number];

/** OfferOperation is one step of an ACCEPT (Mesos Offer.Operation). */
export interface OfferOperation extends OperationPayload {
  type: OfferOperationType;
  /** Asks for feedback through an Operation of this name; not on LAUNCH or LAUNCH_GROUP. */
  id?: string;
  launch?: { tasks: TaskTemplate[] };
  launchGroup?: { tasks: TaskTemplate[] };
}

/** Filters are Mesos Filters: seconds the unused resources stay away (default 5). */
export interface Filters {
  refuseSeconds?: number;
}

/** OfferResponse is the framework's answer: exactly one of accept and decline. */
export interface OfferResponse {
  accept?: { operations: OfferOperation[]; filters?: Filters };
  decline?: { filters?: Filters };
}

/** OfferSpec is what is offered, to whom, and the answer. */
export interface OfferSpec {
  framework: string;
  agent: string;
  hostname?: string;
  role: string;
  resources: ResourceItem[];
  /** Scalar totals of resources, for display. */
  quantities?: QuantityMap;
  attributes?: Record<string, string>;
  faultDomain?: FaultDomain;
  expirationTimestamp?: string;
  response?: OfferResponse;
}

/** OfferStatus is what the offer controller observes. */
export interface OfferStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

/** Offer is a resource offer (namespaced, in the framework's namespace). */
export interface Offer extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Offer';
  spec: OfferSpec;
  status?: OfferStatus;
}
