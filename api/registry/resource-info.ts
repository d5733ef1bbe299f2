import type { JSONSchemaProps, PrinterColumn } from './crd-types.ts';

/**
 * ResourceInfo describes one served (group, version, resource): everything the request path,
 * discovery, OpenAPI and Table conversion need, whether it came from a CRD or is built in
 * (namespaces, customresourcedefinitions).
 */
export interface ResourceInfo {
  readonly group: string; // '' for the core group (namespaces)
  readonly version: string; // the served version this info is for
  readonly storageVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** schema is the version's openAPIV3Schema (root type object). */
  readonly schema: JSONSchemaProps;
  readonly statusSubresource: boolean;
  readonly scale?: {
    readonly specReplicasPath: string;
    readonly statusReplicasPath: string;
    readonly labelSelectorPath?: string;
  };
  /** printerColumns are the CRD's additionalPrinterColumns; empty means the default Age column. */
  readonly printerColumns: readonly PrinterColumn[];
  /** selectableFields are extra field-selector paths (e.g. `.spec.agent`) beyond metadata.name/namespace. */
  readonly selectableFields: readonly string[];
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
}

/** apiVersionOf renders `group/version`, or just `version` for the core group. */
export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/**
 * storagePrefix is the etcd key prefix of a resource: `<root>/<group>/<plural>/` (root is
 * `/registry` as in kube-apiserver; tests give each server its own root).
 */
export function storagePrefix(
  r: Pick<ResourceInfo, 'group' | 'plural'>,
  root = '/registry',
): string {
  return r.group === '' ? `${root}/${r.plural}/` : `${root}/${r.group}/${r.plural}/`;
}
