import type { KubeObject, ObjectMeta } from '../../core/types/meta.ts';

/** TableColumnDefinition is one column of a meta.k8s.io Table (all fields always present). */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** TableCell is what a cell may hold: a string, number, boolean, or null for "no value". */
export type TableCell = string | number | boolean | null;

/** PartialObjectMetadata is a row's object when the client asked for `includeObject=Metadata`. */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

/** TableRow is one object's cells, plus the object itself unless `includeObject=None`. */
export interface TableRow {
  cells: TableCell[];
  object?: PartialObjectMetadata | KubeObject;
}

/** TableListMeta is the list metadata a Table copies from the list it renders. */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Table is meta.k8s.io/v1 (or v1beta1) Table; watch events after the first omit the columns. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: TableListMeta;
  columnDefinitions?: TableColumnDefinition[];
  rows: TableRow[];
}
