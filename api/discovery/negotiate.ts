// Which discovery format to answer `/api` and `/apis` with. client-go reads the answer by its
// Content-Type alone, so the Content-Type must be exactly one of the strings below.
import { byPreference, parseAccept } from './accept.ts';
import type { AggregatedVersion } from './types.ts';

/** AGGREGATED_DISCOVERY_CONTENT_TYPE is the Content-Type of an apidiscovery.k8s.io/v2 answer. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE is the Content-Type of a v2beta1 answer. */
export const AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** DiscoveryFormat is what to answer: aggregated v2, aggregated v2beta1, or legacy documents. */
export type DiscoveryFormat = AggregatedVersion | 'legacy';

/**
 * negotiateDiscovery picks the discovery format from an Accept header, deciding only on the
 * `as`, `g` and `v` parameters: the most preferred range that is either an aggregated
 * APIGroupDiscoveryList (v2 or v2beta1) or a plain media type (legacy) wins; ranges asking for
 * other conversions are passed over. No acceptable range means legacy.
 */
export function negotiateDiscovery(acceptHeader: string | undefined): DiscoveryFormat {
  for (const r of byPreference(parseAccept(acceptHeader))) {
    const { as, g, v } = r.params;
    if (as === undefined) return 'legacy';
    if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io') {
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return 'legacy';
}

/** discoveryContentType is the Content-Type header to send with an answer in `format`. */
export function discoveryContentType(format: DiscoveryFormat): string {
  switch (format) {
    case 'v2':
      return AGGREGATED_DISCOVERY_CONTENT_TYPE;
    case 'v2beta1':
      return AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE;
    case 'legacy':
      return 'application/json';
  }
}
