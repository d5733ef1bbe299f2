// The allocator's command-line flags, as `corral controllers` receives them (strings), turned
// into a ConfigInput. Kept here, beside the config, so the CLI only passes text through.
import type { ConfigInput } from './config.ts';
import { makeConfig, parseMinAllocatable } from './config.ts';

/** AllocatorFlags are the raw values of the allocator's flags (all optional). */
export interface AllocatorFlags {
  /** allocationInterval: `--allocation-interval`, a duration (`1s`, `200ms`); 1 s by default. */
  readonly allocationInterval?: string;
  /** fairnessExcludedResourceNames: comma-separated names left out of DRF shares (`gpus`). */
  readonly fairnessExcludedResourceNames?: string;
  /** minAllocatableResources: Mesos syntax, `cpus:0.01|mem:32` by default. */
  readonly minAllocatableResources?: string;
  /** offerTimeout: a duration after which unanswered offers are rescinded; off by default. */
  readonly offerTimeout?: string;
  /** defaultRefuseSeconds: the filter of a decline that names none; 5 by default. */
  readonly defaultRefuseSeconds?: string;
}

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  h: 3_600_000,
  hrs: 3_600_000,
};

/**
 * parseDuration reads `200ms`, `1s`, `1.5s`, `2m`, `1h`, Mesos's `1secs`/`5mins`, or a bare
 * number of seconds, into milliseconds. Throws a RangeError on anything else or a negative.
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/.exec(text);
  const unit = m === null ? undefined : UNITS[m[2] === '' ? 's' : (m[2] ?? '')];
  if (m === null || unit === undefined)
    throw new RangeError(`"${text}" is not a duration (e.g. 200ms, 1s, 5m)`);
  return Number(m[1]) * unit;
}

/**
 * allocatorConfig turns the flags into a ConfigInput and checks it (makeConfig), so a bad flag
 * fails at start rather than at the first leadership; parse errors name the flag.
 */
export function allocatorConfig(f: AllocatorFlags): ConfigInput {
  const flag = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      throw new RangeError(`--${name}: ${(err as Error).message}`, { cause: err });
    }
  };
  const config: ConfigInput = {
    ...(f.allocationInterval === undefined
      ? {}
      : {
          allocationIntervalMs: flag('allocation-interval', () =>
            parseDuration(f.allocationInterval ?? ''),
          ),
        }),
    ...(f.fairnessExcludedResourceNames === undefined
      ? {}
      : {
          fairnessExcludedResourceNames: f.fairnessExcludedResourceNames
            .split(',')
            .map(s => s.trim())
            .filter(s => s !== ''),
        }),
    ...(f.minAllocatableResources === undefined
      ? {}
      : {
          minAllocatable: flag('min-allocatable-resources', () =>
            parseMinAllocatable(f.minAllocatableResources ?? ''),
          ),
        }),
    ...(f.offerTimeout === undefined
      ? {}
      : { offerTimeoutMs: flag('offer-timeout', () => parseDuration(f.offerTimeout ?? '')) }),
    ...(f.defaultRefuseSeconds === undefined
      ? {}
      : {
          defaultRefuseSeconds: flag('default-refuse-seconds', () => {
            const n = Number(f.defaultRefuseSeconds);
            if (f.defaultRefuseSeconds?.trim() === '' || !Number.isFinite(n))
              throw new RangeError(`"${f.defaultRefuseSeconds}" is not a number`);
            return n;
          }),
        }),
  };
  makeConfig(config);
  return config;
}
