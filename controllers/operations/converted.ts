// What a finished RESERVE or UNRESERVE turned its resources into (Mesos OperationStatus
// converted_resources): the reserved resources, or the resources with their top reservation popped.
import {
  ResourceParseError,
  parseResourceList,
  renderResourceList,
} from '../../core/resources/index.ts';
import type { Operation, ResourceItem } from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';

/** convertedResources of a RESERVE or UNRESERVE; undefined for other types or bad resources. */
export function convertedResources(op: Operation): ResourceItem[] | undefined {
  try {
    switch (op.spec.type) {
      case 'RESERVE':
        return op.spec.reserve?.resources;
      case 'UNRESERVE': {
        const items = op.spec.unreserve?.resources ?? [];
        return renderResourceList(parseResourceList(items).popReservation());
      }
      case 'CREATE':
      case 'DESTROY':
      case 'GROW_VOLUME':
      case 'SHRINK_VOLUME':
      case 'CREATE_DISK':
      case 'DESTROY_DISK':
        return undefined;
      default:
        return assertNever(op.spec.type, 'operation type');
    }
  } catch (e) {
    if (e instanceof ResourceParseError || e instanceof RangeError) return undefined;
    throw e;
  }
}
