export { EVERY_LABEL, matchesLabels, parseLabelSelector } from './label-selector.ts';
export type { LabelOperator, LabelRequirement, LabelSelector } from './label-selector.ts';
export { labelKeyError, labelValueError } from './label-syntax.ts';
export {
  ALWAYS_SELECTABLE,
  EVERY_FIELD,
  fieldValue,
  matchesFields,
  parseFieldSelector,
} from './field-selector.ts';
export type { FieldRequirement, FieldSelector } from './field-selector.ts';
export { selectorTransition } from './transition.ts';
export type { SelectedEvent, WatchEventType } from './transition.ts';
export { EVERYTHING, isEverything, matchesObject, parseObjectSelector } from './object-selector.ts';
export type { ObjectSelector } from './object-selector.ts';
