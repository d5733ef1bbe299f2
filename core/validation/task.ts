// Cross-field rules of a Task and of the task templates in a LAUNCH (mesos-features §5.6, §7.2,
// §8.1, §8.2).
import type { StatusCause } from '../errors/index.ts';
import type { Resources } from '../resources/index.ts';
import { formatScalar } from '../resources/index.ts';
import type { TaskSpec } from '../types/task.ts';
import type { TaskTemplateSpec } from '../types/task-template.ts';
import type { Site } from './causes.ts';
import { amount, at, duplicate, forbidden, invalid, required, resourceMap } from './causes.ts';
import { checkMembers } from './operation.ts';
import { resourceList } from './resource-items.ts';

const HEALTH_MEMBER = { COMMAND: 'command', HTTP: 'http', TCP: 'tcp' } as const;
const VOLUME_SOURCES = ['persistentVolume', 'hostPath', 'sandboxPath'] as const;

// checkLimits is Mesos validateResourceLimits: a limit needs a request and is not below it.
function checkLimits(s: Site, spec: TaskTemplateSpec, requests: Resources): void {
  for (const name of ['cpus', 'mem'] as const) {
    const limit = spec.limits?.[name];
    if (limit === undefined) continue;
    if (requests.named(name).isEmpty()) {
      s.out.push(
        required(`${s.field}.resources.${name}`, `a ${name} limit needs a ${name} request`),
      );
      continue;
    }
    if (limit === 'Infinity') continue;
    const request = requests.scalar(name);
    const value = amount(at(s, `limits.${name}`), name, limit);
    if (value !== undefined && value < request) {
      const detail = `must be greater than or equal to the ${name} request (${formatScalar(request)})`;
      s.out.push(invalid(`${s.field}.limits.${name}`, limit, detail));
    }
  }
}

function checkCommand(s: Site, spec: TaskTemplateSpec): void {
  const c = spec.command;
  if (c === undefined) {
    if (spec.image === undefined) {
      s.out.push(required(`${s.field}.command`, 'a task needs an image or a command'));
    }
    return;
  }
  const hasValue = c.value !== undefined && c.value !== '';
  if (c.shell !== false && !hasValue) {
    s.out.push(required(`${s.field}.command.value`, 'a shell command needs a value'));
  }
  if (c.shell === false && !hasValue && spec.image === undefined) {
    const detail = 'the executable to run (there is no image entrypoint)';
    s.out.push(required(`${s.field}.command.value`, detail));
  }
}

// checkPorts: host mode listens on the host port itself; either way the host port is requested.
function checkPorts(s: Site, spec: TaskTemplateSpec, requests: Resources): void {
  const own = spec.networkMode === 'own';
  (spec.ports ?? []).forEach((p, i) => {
    const f = `${s.field}.ports[${i}]`;
    if (!own && p.hostPort !== undefined) {
      s.out.push(forbidden(`${f}.hostPort`, 'in host network mode the port is the host port'));
    }
    const hostPort = own ? p.hostPort : p.port;
    if (hostPort === undefined) return;
    const held = resourceMap({ out: [], field: 'ports' }, { ports: String(hostPort) });
    if (held !== undefined && !requests.contains(held)) {
      const field = own ? `${f}.hostPort` : `${f}.port`;
      s.out.push(invalid(field, hostPort, `must be within ${s.field}.resources.ports`));
    }
  });
}

function checkVolumes(s: Site, spec: TaskTemplateSpec): void {
  const paths = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    const f = `${s.field}.volumes[${i}]`;
    const given = VOLUME_SOURCES.filter(k => v[k] !== undefined);
    const detail = `exactly one of ${VOLUME_SOURCES.join(', ')}`;
    if (given.length === 0) s.out.push(required(f, detail));
    if (given.length > 1) s.out.push(forbidden(`${f}.${given[1] ?? ''}`, detail));
    if (paths.has(v.containerPath)) s.out.push(duplicate(`${f}.containerPath`, v.containerPath));
    paths.add(v.containerPath);
  });
}

function checkSeccomp(s: Site, spec: TaskTemplateSpec): void {
  const sc = spec.seccomp;
  if (sc?.unconfined === true && sc.profileName !== undefined) {
    s.out.push(
      forbidden(`${s.field}.seccomp.profileName`, 'may not be set when unconfined is true'),
    );
  } else if (sc !== undefined && sc.unconfined !== true && sc.profileName === undefined) {
    s.out.push(
      required(`${s.field}.seccomp.profileName`, 'name a profile or set unconfined: true'),
    );
  }
}

/**
 * validateTaskTemplate checks a task's container at `field`: the requests parse; limits follow
 * Mesos's rules (cpus and mem only, each with a request and not below it); there is an image or
 * a command; the health check has the member its type names; seccomp names a profile or says
 * unconfined, not both; each volume has exactly one source and a distinct container path; host
 * ports come from the requested `ports`.
 */
export function validateTaskTemplate(spec: TaskTemplateSpec, field: string): StatusCause[] {
  const s: Site = { out: [], field };
  const requests = resourceMap(at(s, 'resources'), spec.resources);
  if (requests !== undefined) {
    checkLimits(s, spec, requests);
    checkPorts(s, spec, requests);
  }
  checkCommand(s, spec);
  const hc = spec.healthCheck;
  if (hc !== undefined) {
    const members = Object.values(HEALTH_MEMBER);
    checkMembers(at(s, 'healthCheck'), hc, { expected: HEALTH_MEMBER[hc.type], members });
  }
  checkSeccomp(s, spec);
  checkVolumes(s, spec);
  return s.out;
}

/**
 * validateTask checks a Task spec: its container (validateTaskTemplate), the allocated resources
 * the offer controller recorded, and that only a task in a group uses its group's sandbox. The
 * API server must call this in admission for every Task create and update.
 */
export function validateTask(spec: TaskSpec): StatusCause[] {
  const out = validateTaskTemplate(spec, 'spec');
  resourceList({ out, field: 'spec.allocatedResources' }, spec.allocatedResources);
  (spec.volumes ?? []).forEach((v, i) => {
    if (v.sandboxPath?.type === 'PARENT' && spec.group === undefined) {
      const detail = 'only a task in a group has a parent sandbox';
      out.push(invalid(`spec.volumes[${i}].sandboxPath.type`, 'PARENT', detail));
    }
  });
  return out;
}
