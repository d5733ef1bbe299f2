import type { KubeObject } from '../../core/types/meta.ts';
import { EVERY_FIELD, matchesFields, parseFieldSelector } from './field-selector.ts';
import type { FieldSelector } from './field-selector.ts';
import { EVERY_LABEL, matchesLabels, parseLabelSelector } from './label-selector.ts';
import type { LabelSelector } from './label-selector.ts';

/** ObjectSelector is a list or watch request's label and field selectors together. */
export interface ObjectSelector {
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
}

/** EVERYTHING selects every object. */
export const EVERYTHING: ObjectSelector = { labels: EVERY_LABEL, fields: EVERY_FIELD };

/**
 * parseObjectSelector parses the `labelSelector` and `fieldSelector` query parameters (absent or
 * empty ⇒ everything); `selectableFields` are the CRD's extra field-selector paths.
 */
export function parseObjectSelector(q: {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly selectableFields?: readonly string[];
}): ObjectSelector {
  return {
    labels: parseLabelSelector(q.labelSelector ?? ''),
    fields: parseFieldSelector(q.fieldSelector ?? '', q.selectableFields ?? []),
  };
}

/** isEverything is true when the selector cannot filter anything out. */
export const isEverything = (s: ObjectSelector): boolean =>
  s.labels.requirements.length === 0 && s.fields.requirements.length === 0;

/** matchesObject is true when the object's labels and fields satisfy both selectors. */
export function matchesObject(s: ObjectSelector, obj: KubeObject): boolean {
  return matchesLabels(s.labels, obj.metadata.labels) && matchesFields(s.fields, obj);
}
