// Volume: a persistent volume on reserved disk (mesos-features §3).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { ResourceItem } from './resources.ts';

/** VolumeSpec is the volume as a disk resource, with its agent and role for display. */
export interface VolumeSpec {
  agent: string;
  role: string;
  resource: ResourceItem;
}

/** VolumeStatus is what the controllers observe; usedBy holds `namespace/task` names. */
export interface VolumeStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  usedBy?: string[];
}

/** Volume is a persistent volume (cluster-scoped). */
export interface Volume extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Volume';
  spec: VolumeSpec;
  status?: VolumeStatus;
}
