// Cross-field rules of an Agent, and its reconfiguration policy on update (mesos-features §0.3,
// §8.4, §10.1).
import { isDeepStrictEqual } from 'node:util';
import type { StatusCause } from '../errors/index.ts';
import type { Resources } from '../resources/index.ts';
import type { AgentCapability, AgentSpec } from '../types/agent.ts';
import { forbidden, immutable, invalid, resourceMap } from './causes.ts';
import { resourceList } from './resource-items.ts';

// A resource provider needs the agent to understand refined, hierarchical, multi-role resources.
const PROVIDER_NEEDS: readonly AgentCapability[] = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
];

// totalOf parses both resource fields into one collection, recording any failure.
function totalOf(out: StatusCause[], spec: AgentSpec): Resources | undefined {
  const simple = resourceMap({ out, field: 'spec.resources' }, spec.resources);
  const detailed = resourceList(
    { out, field: 'spec.additionalResources' },
    spec.additionalResources,
  );
  return simple === undefined || detailed === undefined ? undefined : simple.add(detailed);
}

/**
 * validateAgent checks an Agent spec: both resource forms parse under Mesos's rules; the listed
 * resources are neither allocated nor revocable (revocable resources come from the estimate in
 * status); RESOURCE_PROVIDER comes with the capabilities Mesos requires beside it. The API server
 * must call this in admission for every Agent create and update.
 */
export function validateAgent(spec: AgentSpec): StatusCause[] {
  const out: StatusCause[] = [];
  totalOf(out, spec);
  (spec.additionalResources ?? []).forEach((item, i) => {
    const at = `spec.additionalResources[${i}]`;
    if (item.allocationRole !== undefined) {
      out.push(forbidden(`${at}.allocationRole`, 'agent totals are not allocated'));
    }
    if (item.revocable === true) {
      out.push(
        forbidden(`${at}.revocable`, 'revocable resources come from status.revocableEstimate'),
      );
    }
  });
  const caps = spec.capabilities ?? [];
  if (caps.includes('RESOURCE_PROVIDER')) {
    const missing = PROVIDER_NEEDS.filter(c => !caps.includes(c));
    if (missing.length > 0) {
      out.push(
        invalid('spec.capabilities', caps, `RESOURCE_PROVIDER also needs ${missing.join(', ')}`),
      );
    }
  }
  return out;
}

/**
 * validateAgentUpdate applies the agent's reconfiguration policy to a spec change (Mesos
 * `compatibility::equal` / `additive`). Both keep the hostname and an existing fault domain.
 * `equal` keeps resources and attributes too; `additive` lets resources grow (every old resource
 * still contained) and attributes be added, not changed. Mesos also lets a RANGES attribute grow;
 * Corral keeps attribute values as text and asks them to be unchanged. The operator's switches
 * (unschedulable, drain) may change freely, but `gone` cannot be undone. The API server must call
 * this on every Agent update.
 */
export function validateAgentUpdate(old: AgentSpec, next: AgentSpec): StatusCause[] {
  const out: StatusCause[] = [];
  if (old.hostname !== next.hostname) out.push(immutable('spec.hostname', next.hostname));
  if (old.faultDomain !== undefined && !isDeepStrictEqual(old.faultDomain, next.faultDomain)) {
    out.push(immutable('spec.faultDomain', next.faultDomain));
  }
  if (old.gone === true && next.gone !== true) {
    out.push(invalid('spec.gone', next.gone ?? false, 'an agent marked gone cannot come back'));
  }
  const policy = next.reconfigurationPolicy ?? 'equal';
  const before = totalOf([], old);
  const after = totalOf([], next);
  if (before !== undefined && after !== undefined) {
    const ok = policy === 'equal' ? before.equals(after) : after.contains(before);
    if (!ok) {
      const detail =
        policy === 'equal'
          ? 'resources cannot change under the equal reconfiguration policy'
          : 'resources can only grow under the additive reconfiguration policy';
      out.push(invalid('spec.resources', next.resources ?? {}, detail));
    }
  }
  const oldAttrs = old.attributes ?? {};
  const newAttrs = next.attributes ?? {};
  const changed =
    policy === 'equal'
      ? !isDeepStrictEqual(oldAttrs, newAttrs)
      : Object.entries(oldAttrs).some(([k, v]) => newAttrs[k] !== v);
  if (changed) {
    out.push(
      invalid(
        'spec.attributes',
        newAttrs,
        `attributes cannot change this way under the ${policy} reconfiguration policy`,
      ),
    );
  }
  return out;
}
