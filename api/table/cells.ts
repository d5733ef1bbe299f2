// Cell values of printer columns, typed as apiextensions' table convertor types them: a value of
// the wrong JSON type is null (kubectl prints <none>), dates become ages.
import type { PrinterColumn } from '../registry/crd-types.ts';
import { jsonPathText } from './go-text.ts';
import { humanDuration } from './human-duration.ts';
import { parseTime } from './timestamp.ts';
import type { TableCell } from './types.ts';

/**
 * ageOf renders a metav1.Time string as an age at `now`: `<unknown>` for the zero time (or an
 * empty string), `<invalid>` when unparsable, else humanDuration(now - time).
 */
export function ageOf(timestamp: string, now: number): string {
  const t = parseTime(timestamp);
  switch (t.kind) {
    case 'zero':
      return '<unknown>';
    case 'invalid':
      return '<invalid>';
    case 'time':
      return humanDuration(now - t.ms);
  }
}

/**
 * typedCell turns the values a column's JSONPath selected into its cell: null when nothing (or
 * only nulls) was selected; `string` joins the text of every value with `,` (so `.a[*].b`
 * lists them all); the other types use the first value — `integer` truncates a number,
 * `number` and `boolean` need that JSON type, `date` needs a string and renders its age.
 */
export function typedCell(
  type: PrinterColumn['type'],
  values: readonly unknown[],
  now: number,
): TableCell {
  const present = values.filter(v => v !== null && v !== undefined);
  const first = present[0];
  if (first === undefined) return null;
  switch (type) {
    case 'string':
      return present.map(jsonPathText).join(',');
    case 'integer':
      return typeof first === 'number' ? Math.trunc(first) : null;
    case 'number':
      return typeof first === 'number' ? first : null;
    case 'boolean':
      return typeof first === 'boolean' ? first : null;
    case 'date':
      return typeof first === 'string' ? ageOf(first, now) : null;
  }
}
