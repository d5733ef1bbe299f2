// The allocator's flags, with Mesos's names and defaults (src/master/flags.cpp, constants.hpp).
import type { ResourceQuantities } from '../../core/resources/index.ts';
import { parseQuantitiesText } from '../../core/resources/index.ts';

/** DEFAULT_MIN_ALLOCATABLE is Mesos's `--min_allocatable_resources` default (MIN_CPUS|MIN_MEM). */
export const DEFAULT_MIN_ALLOCATABLE = 'cpus:0.01|mem:32';

/** MAX_REFUSE_SECONDS is the longest decline filter: 365 days, as Mesos clamps. */
export const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/** AllocatorConfig holds the allocator's settings; `makeConfig` fills the defaults. */
export interface AllocatorConfig {
  /** allocationIntervalMs is the batch period (`--allocation_interval`, 1 s). */
  readonly allocationIntervalMs: number;
  /** fairnessExcludedResourceNames are left out of DRF shares (e.g. gpus). */
  readonly fairnessExcludedResourceNames: readonly string[];
  /** minAllocatable: an offer must hold all of at least one set; empty list: anything non-empty. */
  readonly minAllocatable: readonly ResourceQuantities[];
  /** defaultRefuseSeconds applies when a decline names none (Mesos Filters default, 5). */
  readonly defaultRefuseSeconds: number;
  /** offerTimeoutMs rescinds unanswered offers (`--offer_timeout`); undefined: never. */
  readonly offerTimeoutMs: number | undefined;
  /** filterGpuResources keeps agents with GPUs from frameworks without GPU_RESOURCES. */
  readonly filterGpuResources: boolean;
  /** region is this control plane's fault-domain region; other regions need REGION_AWARE. */
  readonly region: string | undefined;
  /**
   * acceptSettleMs holds an accepted offer's resources after its deletion, so tasks whose watch
   * events lag the offer's deletion claim them before anyone else is offered them.
   */
  readonly acceptSettleMs: number;
}

/** ConfigInput is AllocatorConfig with every field optional and min allocatable as text. */
export type ConfigInput = Partial<Omit<AllocatorConfig, 'minAllocatable'>> & {
  readonly minAllocatable?: string | readonly ResourceQuantities[];
};

/**
 * parseMinAllocatable reads Mesos's `--min_allocatable_resources` syntax: `|` separates
 * alternatives, `;` joins the quantities of one alternative (`cpus:0.01|mem:32`,
 * `disk:1|cpus:1;mem:32;ports:1`). Empty alternatives are skipped, as Mesos's tokenizer does; a
 * range or set name counts elements (`ports:1` is one port). Throws a ResourceParseError.
 */
export function parseMinAllocatable(text: string): ResourceQuantities[] {
  return text
    .split('|')
    .map(t => t.trim())
    .filter(t => t !== '')
    .map((t, i) => parseQuantitiesText(t, `minAllocatable[${i}]`));
}

/** makeConfig fills defaults and checks the numbers; it throws a RangeError on a bad value. */
export function makeConfig(input: ConfigInput = {}): AllocatorConfig {
  const min = input.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
  const config: AllocatorConfig = {
    allocationIntervalMs: input.allocationIntervalMs ?? 1000,
    fairnessExcludedResourceNames: input.fairnessExcludedResourceNames ?? [],
    minAllocatable: typeof min === 'string' ? parseMinAllocatable(min) : min,
    defaultRefuseSeconds: input.defaultRefuseSeconds ?? 5,
    offerTimeoutMs: input.offerTimeoutMs,
    filterGpuResources: input.filterGpuResources ?? true,
    region: input.region,
    acceptSettleMs: input.acceptSettleMs ?? 5000,
  };
  if (!(config.allocationIntervalMs > 0)) throw new RangeError('allocationIntervalMs must be > 0');
  if (config.offerTimeoutMs !== undefined && !(config.offerTimeoutMs > 0)) {
    throw new RangeError('offerTimeoutMs must be > 0 when set');
  }
  if (!(config.defaultRefuseSeconds >= 0))
    throw new RangeError('defaultRefuseSeconds must be >= 0');
  if (!(config.acceptSettleMs >= 0)) throw new RangeError('acceptSettleMs must be >= 0');
  return config;
}

/**
 * filterDurationMs turns a decline's refuse seconds into a filter duration, or undefined for no
 * filter (Mesos `recoverResources`): absent, negative or not a number → the default; above
 * 365 days → 365 days; 0 → no filter; otherwise at least one allocation interval, so the next
 * batch always sees the filter.
 */
export function filterDurationMs(
  config: AllocatorConfig,
  refuseSeconds: number | undefined,
): number | undefined {
  let seconds = refuseSeconds ?? config.defaultRefuseSeconds;
  if (!Number.isFinite(seconds) && seconds !== Infinity) seconds = config.defaultRefuseSeconds;
  if (seconds < 0) seconds = config.defaultRefuseSeconds;
  if (seconds > MAX_REFUSE_SECONDS) seconds = MAX_REFUSE_SECONDS;
  if (seconds === 0) return undefined;
  return Math.max(config.allocationIntervalMs, seconds * 1000);
}
