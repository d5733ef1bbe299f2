// A hollow agent's resources: the operator's text, with each of cpus, mem, disk and ports it
// leaves out taken from the default (Mesos's benchmark agent), never detected from this machine:
// N hollow agents each claiming the host's memory would be a lie N times over.
import { parseResourceText } from '../../core/resources/index.ts';
import type { AgentResources } from '../registration/host-resources.ts';
import { agentResources } from '../registration/host-resources.ts';
import { HOLLOW_DEFAULTS } from './options.ts';

// never read: every name detection would fill is present by construction
const NO_FACTS = { cpus: 0, memBytes: 0, diskBytes: 0 };

/** hollowResources parses `text` (throws ResourceParseError) and fills in the default's rest. */
export function hollowResources(text = ''): AgentResources {
  const given = parseResourceText(text);
  const parts = text.trim() === '' ? [] : [text];
  for (const item of HOLLOW_DEFAULTS.resources.split(';')) {
    const name = item.slice(0, item.indexOf(':'));
    if (given.named(name).isEmpty()) parts.push(item);
  }
  return agentResources(parts.join(';'), NO_FACTS);
}
