// Loads the CRDs and samples of the repository and runs a document through the API server's
// write pipeline for custom objects (prune → default → validate), then the cross-field rules.
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import type { CustomResourceDefinition, JSONSchemaProps } from '../../../api/registry/crd-types.ts';
import { applyDefaults, prune, validate } from '../../../api/registry/schema/index.ts';
import type { StatusCause } from '../../../core/errors/index.ts';
import type { KubeObject } from '../../../core/types/meta.ts';
import { validateCorralObject } from '../../../core/validation/index.ts';

/** CRD_DIR is the repository's crds/ directory. */
export const CRD_DIR = new URL('../../../crds/', import.meta.url);

/** SAMPLE_DIR is the repository's samples/ directory. */
export const SAMPLE_DIR = new URL('../../../samples/', import.meta.url);

/** CrdFile is one parsed CRD and the file it came from. */
export interface CrdFile {
  readonly file: string;
  readonly crd: CustomResourceDefinition;
}

/** readYaml parses one YAML file of a directory. */
export function readYaml(dir: URL, file: string): unknown {
  return parse(readFileSync(new URL(file, dir), 'utf8'));
}

/** yamlFiles lists a directory's .yaml files, sorted. */
export function yamlFiles(dir: URL): string[] {
  return readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort();
}

/** loadCrds parses every CRD file, keyed by kind. */
export function loadCrds(): Map<string, CrdFile> {
  const out = new Map<string, CrdFile>();
  for (const file of yamlFiles(CRD_DIR)) {
    const crd = readYaml(CRD_DIR, file) as CustomResourceDefinition;
    out.set(crd.spec.names.kind, { file, crd });
  }
  return out;
}

const crds = loadCrds();

/** schemaOf is the openAPIV3Schema of a kind's only version. */
export function schemaOf(kind: string): JSONSchemaProps {
  const schema = crds.get(kind)?.crd.spec.versions[0]?.schema?.openAPIV3Schema;
  if (schema === undefined) throw new Error(`no CRD schema for kind ${kind}`);
  return schema;
}

/** Admission is what the write pipeline made of a document. */
export interface Admission {
  /** The document after pruning and defaulting. */
  readonly obj: Record<string, unknown>;
  readonly pruned: string[];
  /** Schema causes, then cross-field causes. */
  readonly causes: StatusCause[];
}

/** admit runs a copy of a document through prune, defaults, schema and cross-field validation. */
export function admit(doc: unknown): Admission {
  const obj = structuredClone(doc) as Record<string, unknown>;
  const schema = schemaOf(String(obj['kind']));
  const { pruned } = prune(obj, schema);
  applyDefaults(obj, schema);
  const causes = validate(obj, schema);
  // Cross-field rules assume a schema-valid object, as in the server's admission order.
  if (causes.length === 0) causes.push(...validateCorralObject(obj as unknown as KubeObject));
  return { obj, pruned, causes };
}
