// A stand-in agent process for the restart test: it opens a runtime, creates and starts one
// container from the JSON spec in argv[3], prints `started`, and then waits to be SIGKILLed.
import { systemClock } from '../../../../core/util/clock.ts';
import { RuncRuntime } from '../../../../agent/runtime/runc-runtime.ts';
import type { RuncRuntimeOptions } from '../../../../agent/runtime/runc-runtime.ts';
import type { ContainerSpec } from '../../../../agent/runtime/types.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<RuncRuntimeOptions, 'clock'>;
const spec = JSON.parse(process.argv[3] ?? '{}') as ContainerSpec;
const runtime = await RuncRuntime.open({ ...options, clock: systemClock });
await runtime.create(spec);
await runtime.start(spec.id);
process.stdout.write('started\n');
setInterval(() => undefined, 60_000);
