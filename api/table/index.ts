// Table conversion (meta.k8s.io Table for `kubectl get`), its JSONPath evaluator and ages.
export { ageOf, typedCell } from './cells.ts';
export { columnsFor, CREATION_TIMESTAMP_DESCRIPTION, NAME_DESCRIPTION } from './columns.ts';
export type { Column } from './columns.ts';
export { goJson, goNumber, jsonPathText } from './go-text.ts';
export { humanDuration } from './human-duration.ts';
export { compileJsonPath, JsonPathSyntaxError } from './jsonpath.ts';
export type { JsonPath } from './jsonpath.ts';
export { formatTime, parseTime } from './timestamp.ts';
export type { ParsedTime } from './timestamp.ts';
export { toTable } from './to-table.ts';
export type { IncludeObject, ToTableOptions } from './to-table.ts';
export type * from './types.ts';
// Accept negotiation lives with discovery; re-exported for the handlers that render tables.
export { parseAccept, tableVersion, wantsTable } from '../discovery/accept.ts';
export type { MediaRange, TableVersion } from '../discovery/accept.ts';
