// The columns of a resource's Table: Name, then the CRD's additionalPrinterColumns, or the
// default Age column when it has none. Built-in kinds print as kube prints them (Namespace:
// Name, Status, Age; CustomResourceDefinition: Name, Created At).
import type { KubeObject } from '../../core/types/meta.ts';
import type { PrinterColumn } from '../registry/crd-types.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { ageOf, typedCell } from './cells.ts';
import { compileJsonPath } from './jsonpath.ts';
import { formatTime, parseTime, ZERO_TIME_MS } from './timestamp.ts';
import type { TableCell, TableColumnDefinition } from './types.ts';

/** Column is a column definition plus how to compute its cell for one object. */
export interface Column {
  readonly definition: TableColumnDefinition;
  cell(obj: KubeObject, now: number): TableCell;
}

/** NAME_DESCRIPTION is ObjectMeta's `name` doc, kube's description of the Name column. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** CREATION_TIMESTAMP_DESCRIPTION is ObjectMeta's `creationTimestamp` doc (Age columns). */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const def = (
  name: string,
  type: string,
  description: string,
  more: Partial<TableColumnDefinition> = {},
): TableColumnDefinition => ({ name, type, format: '', description, priority: 0, ...more });

const NAME: Column = {
  definition: def('Name', 'string', NAME_DESCRIPTION, { format: 'name' }),
  cell: obj => obj.metadata.name ?? '',
};

/** printerColumn compiles one additionalPrinterColumns entry; a bad path gives null cells. */
function printerColumn(c: PrinterColumn): Column {
  const description =
    c.description !== undefined && c.description !== ''
      ? c.description
      : `Custom resource definition column (in JSONPath format): ${c.jsonPath}`;
  let find: (obj: KubeObject) => unknown[];
  try {
    find = compileJsonPath(c.jsonPath).find;
  } catch {
    // CRD validation rejects such paths; should one get through, its cells are just empty
    find = () => [];
  }
  return {
    definition: def(c.name, c.type, description, {
      format: c.format ?? '',
      priority: c.priority ?? 0,
    }),
    cell: (obj, now) => typedCell(c.type, find(obj), now),
  };
}

const creationTimestamp = (obj: KubeObject): string => obj.metadata.creationTimestamp ?? '';

const DEFAULT_AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: CREATION_TIMESTAMP_DESCRIPTION,
};

const NAMESPACE_COLUMNS: readonly Column[] = [
  {
    definition: def('Status', 'string', 'The status of the namespace'),
    cell: obj => {
      const phase = (obj.status as { phase?: unknown } | undefined)?.phase;
      return typeof phase === 'string' ? phase : '';
    },
  },
  {
    // kube's built-in printer types its Age as a string: it is always rendered text
    definition: def('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION),
    cell: (obj, now) => ageOf(creationTimestamp(obj), now),
  },
];

const CRD_COLUMNS: readonly Column[] = [
  {
    // kube's default table convertor: the creation time itself, not an age
    definition: def('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION),
    cell: obj => {
      const t = parseTime(creationTimestamp(obj));
      return formatTime(t.kind === 'time' ? t.ms : ZERO_TIME_MS);
    },
  },
];

const cache = new WeakMap<ResourceInfo, readonly Column[]>();

/** columnsFor returns (and caches per ResourceInfo) the columns of a resource's Table. */
export function columnsFor(r: ResourceInfo): readonly Column[] {
  const cached = cache.get(r);
  if (cached !== undefined) return cached;
  let rest: readonly Column[];
  if (r.printerColumns.length > 0) rest = r.printerColumns.map(printerColumn);
  else if (r.group === '' && r.kind === 'Namespace') rest = NAMESPACE_COLUMNS;
  else if (r.group === 'apiextensions.k8s.io' && r.kind === 'CustomResourceDefinition') {
    rest = CRD_COLUMNS;
  } else rest = [printerColumn(DEFAULT_AGE)];
  const columns = [NAME, ...rest];
  cache.set(r, columns);
  return columns;
}
