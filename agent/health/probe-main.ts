// A one-shot HTTP or TCP check, run by the agent under `nsenter --net` so it connects from inside
// a task's own network namespace (Node cannot switch namespaces in-process). argv[2] is the JSON
// NetCheck; the exit code is the verdict (0 healthy, 1 not).
import type { HttpTarget } from './net-probes.ts';
import { httpProbe, tcpProbe } from './net-probes.ts';

/** NetCheck is the check to run, as the agent passes it. */
export type NetCheck =
  | ({ readonly type: 'http'; readonly timeoutMs: number } & HttpTarget)
  | {
      readonly type: 'tcp';
      readonly timeoutMs: number;
      readonly host: string;
      readonly port: number;
    };

const check = JSON.parse(process.argv[2] ?? '{}') as NetCheck;
const signal = AbortSignal.timeout(check.timeoutMs);
const ok =
  check.type === 'http'
    ? await httpProbe(check, signal)
    : await tcpProbe(check.host, check.port, signal);
process.exit(ok ? 0 : 1);
