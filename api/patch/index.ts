export { mergePatch } from './merge-patch.ts';
export { MAX_JSON_PATCH_OPERATIONS, jsonPatch } from './json-patch.ts';
export { FIELD_MANAGER_MAX_LENGTH, defaultManager, validateWriteOptions } from './field-manager.ts';
export type { WriteOptions, WriteOptionsKind } from './field-manager.ts';
export * from './apply/index.ts';
