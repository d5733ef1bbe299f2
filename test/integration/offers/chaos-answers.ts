// The chaos framework's accepts: operations built from what the offer holds, each seeing what
// the ones before it in the same accept did (a CREATE on the disk a RESERVE just reserved, a
// LAUNCH on the volume a CREATE just made). Kinds that find nothing to work on are sent anyway,
// aimed at resources the offer lacks, so the offer controller's refusals get exercised too.
import type { Resource } from '../../../core/resources/index.ts';
import { Resources } from '../../../core/resources/index.ts';
import type { OfferOperation, TaskTemplate } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { RUN_SECONDS_KEY } from '../../../agent/hollow/options.ts';
import {
  CREATE,
  DESTROY,
  LAUNCH,
  LAUNCH_GROUP,
  RESERVE,
  UNRESERVE,
  res,
  reserved,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { OpKind } from './chaos-scenario.ts';

/** Answer is an accept as sent: its operations, with the ids and task names they carry. */
export interface Answer {
  readonly operations: OfferOperation[];
  readonly operationIds: readonly string[];
  readonly taskNames: readonly string[];
}

// a task that runs until killed, or (short) finishes on its own half a second after it started
function template(name: string, cpus: string, runSeconds: string, pv?: string): TaskTemplate {
  return {
    name,
    labels: { [RUN_SECONDS_KEY]: runSeconds },
    spec: {
      resources: { cpus, mem: '16' },
      command: { value: 'sleep 1000' },
      ...(pv === undefined
        ? {}
        : { volumes: [{ containerPath: 'data', persistentVolume: { name: pv } }] }),
    },
  };
}

const freeReservedDisk = (rs: Resources): Resource | undefined =>
  rs
    .filter(
      r => r.name === 'disk' && r.reservations.length > 0 && r.disk?.persistence === undefined,
    )
    .toArray()
    .find(r => r.value.type === 'SCALAR' && r.value.scalar >= res('disk:64').scalar('disk'));

/**
 * buildAnswer turns op kinds into an accept of `offered` (unallocated). `next` hands out numbers
 * unique in the run, for operation ids, task names and persistence ids. With `feedback`, resource
 * operations carry ids: Mesos refuses those (OPERATION_ERROR) on agents without the
 * RESOURCE_PROVIDER capability, as these are; without, they are applied with no feedback.
 */
export function buildAnswer(
  kinds: readonly OpKind[],
  offered: Resources,
  next: () => number,
  feedback: boolean,
) {
  let view = offered;
  const operations: OfferOperation[] = [];
  const operationIds: string[] = [];
  const taskNames: string[] = [];
  // convert applies a conversion to the view when it can, as the offer controller would
  const convert = (from: Resources, to: Resources) => {
    if (view.contains(from)) view = view.subtract(from).add(to);
  };
  const withId = (op: (id?: string) => OfferOperation) => {
    if (!feedback) {
      operations.push(op());
      return;
    }
    const id = `op-${next()}`;
    operationIds.push(id);
    operations.push(op(id));
  };
  const launch = (templates: TaskTemplate[], group = false) => {
    taskNames.push(...templates.map(t => t.name));
    operations.push(group ? LAUNCH_GROUP(templates) : LAUNCH(templates));
  };
  for (const kind of kinds) {
    const pv = view.persistentVolumes().toArray()[0];
    switch (kind) {
      case 'launch':
      case 'launchShort':
        launch([template(`t-${next()}`, '0.25', kind === 'launch' ? '0' : '0.5')]);
        break;
      case 'launchVolume':
        launch([template(`t-${next()}`, '0.1', '0', pv?.disk?.persistence?.id ?? `p-${next()}`)]);
        break;
      case 'launchGroup':
        launch([template(`t-${next()}`, '0.1', '0'), template(`t-${next()}`, '0.1', '0.5')], true);
        break;
      case 'bigLaunch':
        launch([template(`t-${next()}`, '100', '0')]);
        break;
      case 'reserve':
      case 'reserveDisk': {
        const text = kind === 'reserve' ? 'cpus:0.5' : 'disk:128';
        convert(res(text), reserved(text));
        withId(id => RESERVE(reserved(text), id));
        break;
      }
      case 'unreserve':
      case 'unreserveDisk': {
        const text = kind === 'unreserve' ? 'cpus:0.5' : 'disk:64';
        convert(reserved(text), res(text));
        withId(id => UNRESERVE(reserved(text), id));
        break;
      }
      case 'create':
      case 'createShared': {
        const disk = freeReservedDisk(view);
        const v = volume('64', {
          id: `p-${next()}`,
          shared: kind === 'createShared',
          ...(disk === undefined ? {} : { stack: disk.reservations }),
        });
        convert(reserved('disk:64'), Resources.of(v));
        withId(id => CREATE(v, id));
        break;
      }
      case 'destroy': {
        const gone = pv ?? volume('64', { id: `p-${next()}` });
        convert(Resources.of(gone), reserved('disk:64'));
        withId(id => DESTROY(Resources.of(gone), id));
        break;
      }
      default:
        assertNever(kind, 'op kind');
    }
  }
  return { operations, operationIds, taskNames } satisfies Answer;
}
