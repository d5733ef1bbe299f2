import type { KubeObject } from '../../core/types/meta.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../selectors/index.ts';
import type { ResourceRequest } from './context.ts';

/** ObjectFilter decides whether an object belongs to a list or watch. */
export type ObjectFilter = (obj: KubeObject) => boolean;

/** filterOf builds the request's label and field selector filter; `undefined` means "all". */
export function filterOf(r: ResourceRequest): ObjectFilter | undefined {
  const ls = r.query['labelSelector'];
  const fs = r.query['fieldSelector'];
  const labels = ls !== undefined && ls.trim() !== '' ? parseLabelSelector(ls) : undefined;
  const allowed = r.info.selectableFields.map(p => p.replace(/^\./, ''));
  const fields = fs !== undefined && fs.trim() !== '' ? parseFieldSelector(fs, allowed) : undefined;
  if (labels === undefined && fields === undefined) return undefined;
  return obj =>
    (labels === undefined || matchesLabels(labels, obj.metadata.labels ?? {})) &&
    (fields === undefined || matchesFields(fields, obj));
}
