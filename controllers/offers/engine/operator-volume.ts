// An operator applying, editing or deleting a Volume, as Mesos's CREATE_VOLUMES, DESTROY_VOLUMES,
// GROW_VOLUME and SHRINK_VOLUME operator calls.
import { isDeepStrictEqual } from 'node:util';
import type { Resource } from '../../../core/resources/index.ts';
import {
  ResourceParseError,
  Resources,
  parseResourceSpec,
  renderResource,
  reservationStacksEqual,
  resourceEqual,
  scalarCompare,
  scalarSub,
  ZERO_SCALAR,
} from '../../../core/resources/index.ts';
import type { Volume } from '../../../core/types/index.ts';
import { growConversion, scalarOf, shrinkConversion, stripVolume } from './conversions.ts';
import type { ChangePlan, ChangeStep } from './operator-common.ts';
import {
  accepted,
  conflict,
  invalid,
  operatorRules,
  unused,
  volumeUsers,
} from './operator-common.ts';
import { validateCreate, validateDestroy, validateGrow, validateShrink } from './volume-rules.ts';
import type { AgentState } from './types.ts';

function parse(v: Volume): Resource | string {
  try {
    const [r] = Resources.of(parseResourceSpec(v.spec.resource, 'spec.resource')).unallocate();
    return r ?? 'spec.resource: the volume has no size';
  } catch (e) {
    if (e instanceof ResourceParseError) return e.message;
    throw e;
  }
}

function insufficient(agent: AgentState): (need: Resources) => string {
  return need =>
    `insufficient reserved disk: ${unused(agent).toString()} does not contain ${need.toString()}`;
}

function inUse(agent: AgentState, name: string, volume: Resource): ChangePlan | undefined {
  const users = volumeUsers(agent, volume);
  return users.length === 0
    ? undefined
    : conflict(`volume ${name} in use by task ${users.join(', ')}`);
}

function create(agent: AgentState, name: string, volume: Resource): ChangePlan {
  const others = Resources.from(agent.volumes.filter(v => v.name !== name).map(v => v.resource));
  const bad = validateCreate(Resources.of(volume), operatorRules(agent), others);
  if (bad !== undefined) return invalid(bad);
  const steps: ChangeStep[] = [
    {
      action: 'CREATE',
      consumed: Resources.of(stripVolume(volume)),
      converted: Resources.of(volume),
    },
  ];
  return accepted(agent, steps, { diagnose: insufficient(agent) });
}

function destroy(agent: AgentState, name: string, volume: Resource): ChangePlan {
  const busy = inUse(agent, name, volume);
  if (busy !== undefined) return busy;
  const bad = validateDestroy(Resources.of(volume), agent.total.persistentVolumes(), agent.tasks);
  if (bad !== undefined) return invalid(bad);
  const steps: ChangeStep[] = [
    {
      action: 'DESTROY',
      consumed: Resources.of(volume),
      converted: Resources.of(stripVolume(volume)),
    },
  ];
  return accepted(agent, steps, { diagnose: insufficient(agent) });
}

// resize grows or shrinks a volume whose only change is its size.
function resize(agent: AgentState, name: string, from: Resource, to: Resource): ChangePlan {
  const busy = inUse(agent, name, from);
  if (busy !== undefined) return busy;
  const size = scalarOf(from) ?? ZERO_SCALAR;
  const next = scalarOf(to) ?? ZERO_SCALAR;
  const rules = operatorRules(agent);
  if (scalarCompare(next, size) > 0) {
    const addition: Resource = {
      ...stripVolume(from),
      value: { type: 'SCALAR', scalar: scalarSub(next, size) },
    };
    const bad = validateGrow(from, addition, rules);
    if (bad !== undefined) return invalid(bad);
    return accepted(agent, [{ action: 'GROW_VOLUME', ...growConversion(from, addition) }], {
      diagnose: insufficient(agent),
    });
  }
  const subtract = scalarSub(size, next);
  const bad = validateShrink(from, subtract, rules);
  if (bad !== undefined) return invalid(bad);
  return accepted(agent, [{ action: 'SHRINK_VOLUME', ...shrinkConversion(from, subtract) }], {
    diagnose: insufficient(agent),
  });
}

/**
 * planVolumeChange plans an operator's change to a Volume on `agent`. Create: CREATE, validated as
 * Mesos does (persistence id unique per role on the agent, reserved disk, capabilities) and
 * refused when the reserved disk is not free. Delete: DESTROY, refused while a task uses the
 * volume. Edit: only the size may change (GROW_VOLUME or SHRINK_VOLUME, needing RESIZE_VOLUME and
 * an unused volume); its reservation moves only with its Reservation. A `before` the agent never
 * applied counts as absent.
 */
export function planVolumeChange(
  before: Volume | undefined,
  after: Volume | undefined,
  agent: AgentState,
): ChangePlan {
  if (after !== undefined && after.spec.agent !== agent.name) {
    return invalid(`volume is for agent ${after.spec.agent}, not ${agent.name}`);
  }
  const name = before?.metadata.name ?? after?.metadata.name ?? '';
  const from = agent.volumes.find(
    v => before !== undefined && v.name === before.metadata.name,
  )?.resource;
  const to = after === undefined ? undefined : parse(after);
  if (typeof to === 'string') return invalid(to);
  if (to === undefined) {
    return from === undefined
      ? accepted(agent, [], { diagnose: insufficient(agent) })
      : destroy(agent, name, from);
  }
  if (from === undefined) return create(agent, name, to);
  if (before !== undefined && before.spec.agent !== after?.spec.agent) {
    return invalid('spec.agent cannot change: a volume stays on its agent');
  }
  if (resourceEqual(from, to) && isDeepStrictEqual(renderResource(from), renderResource(to))) {
    return accepted(agent, [], { diagnose: insufficient(agent) });
  }
  if (!reservationStacksEqual(from.reservations, to.reservations)) {
    return invalid("a volume's reservation cannot change here: edit the Reservation it sits on");
  }
  if (!isDeepStrictEqual(renderResource({ ...from, value: to.value }), renderResource(to))) {
    return invalid('only the size of a volume can change');
  }
  return resize(agent, name, from, to);
}
