// The CRD structural-schema engine: what kube-apiserver does with a CRD's openAPIV3Schema when a
// CRD is written (checkStructural) and when a custom object is written (prune → applyDefaults →
// validate, done in one walk by pruneDefaultValidate).
export { checkStructural } from './structural.ts';
export { prune } from './prune.ts';
export type { PruneResult } from './prune.ts';
export { applyDefaults } from './defaults.ts';
export { validate } from './validate.ts';
export type { ValidateOptions } from './validate.ts';
export { pruneDefaultValidate } from './write-pass.ts';
export type { WritePass } from './write-pass.ts';
export { isDnsLabel, isDnsSubdomain, qualifiedNameErrors } from './names.ts';
