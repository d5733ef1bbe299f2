// ResourceProvider: CSI storage on one agent (mesos-features §10).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { ReservationItem, ResourceItem, ResourceMap } from './resources.ts';
import type { Command } from './task-template.ts';

/** CSI_SERVICES lists the CSI services a plugin container or endpoint serves. */
export const CSI_SERVICES = ['CONTROLLER_SERVICE', 'NODE_SERVICE'] as const;

/** CsiService is a CSI gRPC service. */
export type CsiService = (typeof CSI_SERVICES)[number];

/** CsiPlugin is Mesos CSIPluginInfo: managed containers, or endpoints of a running plugin. */
export interface CsiPlugin {
  type: string;
  name: string;
  containers?: {
    services: CsiService[];
    image?: string;
    command?: Command;
    resources?: ResourceMap;
  }[];
  endpoints?: { services: CsiService[]; endpoint: string }[];
  targetPathRoot?: string;
}

/** StorageProfile is a named volume capability plus CSI CreateVolume parameters. */
export interface StorageProfile {
  name: string;
  volumeMode?: 'MOUNT' | 'BLOCK';
  fsType?: string;
  parameters?: Record<string, string>;
}

/** ResourceProviderSpec is Mesos ResourceProviderInfo for a storage provider. */
export interface ResourceProviderSpec {
  agent: string;
  type: string;
  name: string;
  defaultReservations?: ReservationItem[];
  storage?: {
    plugin: CsiPlugin;
    profiles?: StorageProfile[];
    reconciliationIntervalSeconds?: number;
  };
}

/** ResourceProviderStatus holds the pools and disks the provider reports. */
export interface ResourceProviderStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  resources?: ResourceItem[];
  resourceVersionUuid?: string;
}

/** ResourceProvider is a storage provider (cluster-scoped). */
export interface ResourceProvider extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'ResourceProvider';
  spec: ResourceProviderSpec;
  status?: ResourceProviderStatus;
}
