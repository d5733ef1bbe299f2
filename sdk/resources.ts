// Reading offers and task requests as exact resources (core/resources), so a framework decides
// what fits with the same arithmetic the offer controller uses.
import type { PickOptions, Resource } from '../core/resources/index.ts';
import {
  Resources,
  parseResourceList,
  parseResourceMap,
  parseResourceText,
  pickResources,
} from '../core/resources/index.ts';
import type { Offer, ResourceItem, ResourceMap, TaskTemplate } from '../core/types/index.ts';

/**
 * ResourceInput is what the SDK's helpers take for resources: exact Resources, the list form
 * (an offer's `spec.resources`, a ResourceItem array), or the map form of unreserved resources.
 */
export type ResourceInput = Resources | Resource | readonly ResourceItem[] | ResourceMap;

function isResource(x: object): x is Resource {
  return 'value' in x && 'reservations' in x && typeof (x as { name?: unknown }).name === 'string';
}

/**
 * toResources reads any ResourceInput. Throws a ResourceParseError naming the field for a
 * malformed list or map, a RangeError for an invalid Resource.
 */
export function toResources(input: ResourceInput): Resources {
  if (input instanceof Resources) return input;
  if (Array.isArray(input)) return parseResourceList(input);
  if (isResource(input)) return Resources.of(input);
  return parseResourceMap(input);
}

/**
 * resourcesFromText reads Mesos's text form, `cpus:0.5;mem:128;ports:[31000-31001]`, as
 * `mesos-execute --resources` takes it; `name(role):value` is a STATIC reservation.
 */
export function resourcesFromText(text: string): Resources {
  return parseResourceText(text);
}

/**
 * offerResources is what an offer holds, without the allocation role every offered resource
 * carries (an offer is for one role): reserved resources keep their stacks, volumes their disk
 * info. Throws a ResourceParseError if the offer is malformed (admission prevents it).
 */
export function offerResources(offer: Offer): Resources {
  return parseResourceList(offer.spec.resources, 'spec.resources').unallocate();
}

/**
 * fits reports whether `requests` (usually a task's map-form requests) can be taken from
 * `available`, picked as the offer controller picks them (see pickResources).
 */
export function fits(available: Resources, requests: ResourceInput, opts?: PickOptions): boolean {
  return pickResources(available, toResources(requests), opts) !== undefined;
}

/** offersWithEnough keeps the offers whose resources can hold `requests`, in their order. */
export function offersWithEnough(
  offers: readonly Offer[],
  requests: ResourceInput,
  opts?: PickOptions,
): Offer[] {
  const wanted = toResources(requests);
  return offers.filter(o => pickResources(offerResources(o), wanted, opts) !== undefined);
}

/** Packing is the outcome of packTasks. */
export interface Packing {
  /** packed are the templates that fit, in the order given. */
  readonly packed: TaskTemplate[];
  /** rest are the templates that did not fit. */
  readonly rest: TaskTemplate[];
  /** remaining is what is left of `available` after the packed tasks took theirs. */
  readonly remaining: Resources;
}

/**
 * packTasks fits as many task templates as it can into `available`, first come first served,
 * each taking its requests (`spec.resources`) as the offer controller would. Persistent-volume
 * mounts are not counted: a task mounting a volume needs the offer to hold that volume too.
 * Throws a ResourceParseError for a template with malformed requests.
 */
export function packTasks(
  available: Resources,
  templates: readonly TaskTemplate[],
  opts?: PickOptions,
): Packing {
  let remaining = available;
  const packed: TaskTemplate[] = [];
  const rest: TaskTemplate[] = [];
  for (const t of templates) {
    const picked = pickResources(remaining, parseResourceMap(t.spec.resources), opts);
    if (picked === undefined) {
      rest.push(t);
      continue;
    }
    packed.push(t);
    remaining = remaining.subtract(picked);
  }
  return { packed, rest, remaining };
}

export { pickResources };
export type { PickOptions };
