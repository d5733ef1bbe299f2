// Table conversion for `kubectl get`: the server renders the printer columns so kubectl shows
// the same columns for every kind without knowing it.
import type { KubeObject } from '../../core/types/meta.ts';
import type { TableVersion } from '../discovery/accept.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { columnsFor } from './columns.ts';
import type { Table, TableListMeta, TableRow } from './types.ts';

/** IncludeObject is the `includeObject` query parameter: what each row carries besides cells. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** ToTableOptions are the per-request choices of a Table conversion. */
export interface ToTableOptions {
  includeObject: IncludeObject;
  /** noHeaders drops columnDefinitions: watch events after the first one. */
  noHeaders?: boolean;
  listMeta?: TableListMeta;
  /** now is the current time in epoch milliseconds, which ages are measured against. */
  now: number;
  /** version is the meta.k8s.io version the client asked for; v1 unless only v1beta1 was. */
  version?: TableVersion;
}

/** listMetaOf copies the set, non-empty list metadata fields, as kube's omitempty does. */
function listMetaOf(m: TableListMeta | undefined): TableListMeta {
  if (m === undefined) return {};
  return {
    ...(m.resourceVersion !== undefined && m.resourceVersion !== ''
      ? { resourceVersion: m.resourceVersion }
      : {}),
    ...(m.continue !== undefined && m.continue !== '' ? { continue: m.continue } : {}),
    ...(m.remainingItemCount !== undefined ? { remainingItemCount: m.remainingItemCount } : {}),
  };
}

/**
 * toTable renders objects of one resource as a meta.k8s.io Table: a Name column, then the
 * resource's printer columns (or Age), one row per object in order; each row carries the object
 * as PartialObjectMetadata (`Metadata`), as is (`Object`) or not at all (`None`).
 */
export function toTable(
  resource: ResourceInfo,
  objects: readonly KubeObject[],
  opts: ToTableOptions,
): Table {
  const columns = columnsFor(resource);
  const apiVersion = `meta.k8s.io/${opts.version ?? 'v1'}` as const;
  const rows = objects.map((obj): TableRow => {
    const cells = columns.map(c => c.cell(obj, opts.now));
    switch (opts.includeObject) {
      case 'None':
        return { cells };
      case 'Object':
        return { cells, object: obj };
      case 'Metadata':
        return {
          cells,
          object: { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata },
        };
    }
  });
  return {
    kind: 'Table',
    apiVersion,
    metadata: listMetaOf(opts.listMeta),
    ...(opts.noHeaders === true
      ? {}
      : { columnDefinitions: columns.map(c => ({ ...c.definition })) }),
    rows,
  };
}
