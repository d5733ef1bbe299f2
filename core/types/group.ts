// The API group and version every Corral kind is served under (DESIGN.md §2).

/** CORRAL_GROUP is the API group of every Corral kind. */
export const CORRAL_GROUP = 'corral.dev';

/** CORRAL_VERSION is the one served (and stored) version of the Corral kinds. */
export const CORRAL_VERSION = 'v1alpha1';

/** CORRAL_API_VERSION is the `apiVersion` every Corral object carries. */
export const CORRAL_API_VERSION = 'corral.dev/v1alpha1';

/** CorralApiVersion is the literal type of `CORRAL_API_VERSION`. */
export type CorralApiVersion = typeof CORRAL_API_VERSION;
