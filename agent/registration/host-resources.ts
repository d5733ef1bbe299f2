// The agent's total resources, attributes and fault domain from its flags and the machine, as
// Mesos computes them (slave/containerizer/containerizer.cpp `Containerizer::resources`): what
// `--resources` names is taken as given; each of cpus, mem, disk and ports it leaves out is
// detected, mem and disk less a reserve kept for the host.
import type { Resources } from '../../core/resources/index.ts';
import {
  isSimpleResource,
  parseResourceText,
  renderResourceList,
  renderResourceMap,
} from '../../core/resources/index.ts';
import type { FaultDomain, ResourceItem, ResourceMap } from '../../core/types/resources.ts';

/** HostFacts are the machine's totals the agent detects missing resources from. */
export interface HostFacts {
  readonly cpus: number;
  readonly memBytes: number;
  /** diskBytes is the size of the filesystem holding the work dir. */
  readonly diskBytes: number;
}

/** DEFAULT_PORTS is Mesos's default `ports` resource. */
export const DEFAULT_PORTS = '[31000-32000]';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** memoryMb is Mesos's mem: total less 1 GB, or half of it on a host with less than 2 GB. */
export function memoryMb(totalBytes: number): number {
  const left = totalBytes >= 2 * GB ? totalBytes - GB : totalBytes / 2;
  return Math.floor(left / MB);
}

/** diskMb is Mesos's disk: total less 5 GB, or half of it on a disk smaller than 10 GB. */
export function diskMb(totalBytes: number): number {
  const left = totalBytes >= 10 * GB ? totalBytes - 5 * GB : totalBytes / 2;
  return Math.floor(left / MB);
}

/** AgentResources are the two forms an Agent spec holds its totals in. */
export interface AgentResources {
  /** resources are the unreserved ones, in the map form. */
  readonly resources: ResourceMap;
  /** additionalResources are statically reserved ones (`cpus(ads):2`), in the list form. */
  readonly additionalResources: ResourceItem[];
}

function detected(name: string, facts: HostFacts): string {
  switch (name) {
    case 'cpus':
      return `cpus:${Math.max(1, facts.cpus)}`;
    case 'mem':
      return `mem:${memoryMb(facts.memBytes)}`;
    case 'disk':
      return `disk:${diskMb(facts.diskBytes)}`;
    default:
      return `ports:${DEFAULT_PORTS}`;
  }
}

/**
 * agentResources parses `--resources` (Mesos text or JSON list form; throws ResourceParseError)
 * and adds what the machine has of cpus, mem, disk and ports when the text names none of them
 * (reserved or not, as Mesos checks).
 */
export function agentResources(text: string | undefined, facts: HostFacts): AgentResources {
  let all: Resources = parseResourceText(text ?? '');
  for (const name of ['cpus', 'mem', 'disk', 'ports']) {
    if (all.named(name).isEmpty()) all = all.add(parseResourceText(detected(name, facts)));
  }
  return {
    resources: { ...renderResourceMap(all.filter(isSimpleResource)) },
    additionalResources: renderResourceList(all.filter(r => !isSimpleResource(r))),
  };
}

/** parseAttributes reads Mesos's `--attributes` text form, `rack:r1;zone:a`. */
export function parseAttributes(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (text ?? '').split(';').map(s => s.trim())) {
    if (item === '') continue;
    const i = item.indexOf(':');
    const name = i < 0 ? '' : item.slice(0, i).trim();
    const value = i < 0 ? '' : item.slice(i + 1).trim();
    if (name === '' || value === '') {
      throw new RangeError(`attribute "${item}" must be name:value`);
    }
    if (name in out) throw new RangeError(`attribute "${name}" given twice`);
    out[name] = value;
  }
  return out;
}

/** parseFaultDomain reads `region/zone`. */
export function parseFaultDomain(text: string): FaultDomain {
  const [region = '', zone = '', ...rest] = text.split('/').map(s => s.trim());
  if (region === '' || zone === '' || rest.length > 0) {
    throw new RangeError(`fault domain "${text}" must be region/zone`);
  }
  return { region, zone };
}
