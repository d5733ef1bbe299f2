import type { StatusCause } from '../../core/errors/index.ts';
import { invalid } from '../../core/errors/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import type { CustomResourceDefinition } from './crd-types.ts';
import { isDnsLabel, isDnsSubdomain } from './object-meta.ts';
import { checkStructural } from './schema/index.ts';

const KIND_RE = /^[A-Z][A-Za-z0-9]*$/;

function checkNames(crd: CustomResourceDefinition, causes: StatusCause[]): void {
  const { names, group } = crd.spec;
  const bad = (field: string, message: string): void => {
    causes.push({ reason: 'FieldValueInvalid', field, message });
  };
  if (!isDnsSubdomain(group) || !group.includes('.'))
    bad('spec.group', `Invalid value: "${group}": should be a domain with at least one dot`);
  if (!isDnsLabel(names.plural))
    bad('spec.names.plural', `Invalid value: "${names.plural}": a lowercase RFC 1123 label`);
  if (names.plural === 'namespaces')
    bad('spec.names.plural', 'Invalid value: "namespaces": reserved');
  if (names.singular !== undefined && !isDnsLabel(names.singular))
    bad('spec.names.singular', `Invalid value: "${names.singular}": a lowercase RFC 1123 label`);
  if (!KIND_RE.test(names.kind))
    bad('spec.names.kind', `Invalid value: "${names.kind}": must be a CamelCase name`);
  for (const [i, s] of (names.shortNames ?? []).entries()) {
    if (!isDnsLabel(s))
      bad(`spec.names.shortNames[${i}]`, `Invalid value: "${s}": a lowercase RFC 1123 label`);
  }
  const want = `${names.plural}.${group}`;
  if (crd.metadata.name !== want)
    bad(
      'metadata.name',
      `Invalid value: "${crd.metadata.name ?? ''}": must be spec.names.plural+"."+spec.group`,
    );
}

function checkVersions(crd: CustomResourceDefinition, causes: StatusCause[]): void {
  const versions = crd.spec.versions;
  if (versions.length === 0) {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'spec.versions',
      message: 'Required value: must have exactly one version marked as storage version',
    });
    return;
  }
  if (versions.filter(v => v.storage).length !== 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: 'Invalid value: must have exactly one version marked as storage version',
    });
  }
  if (crd.spec.conversion?.strategy === 'Webhook') {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.conversion.strategy',
      message: 'Unsupported value: "Webhook": supported values: "None"',
    });
  }
  versions.forEach((v, i) => {
    if (!isDnsLabel(v.name))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.versions[${i}].name`,
        message: `Invalid value: "${v.name}": a DNS-1035 label`,
      });
    const schema = v.schema?.openAPIV3Schema;
    if (schema === undefined) {
      causes.push({
        reason: 'FieldValueRequired',
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
        message: 'Required value: schemas are required',
      });
      return;
    }
    causes.push(...checkStructural(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
  });
}

/** validateCrd checks a CRD's names, versions and structural schemas (422 with every cause). */
export function validateCrd(obj: KubeObject): CustomResourceDefinition {
  const crd = obj as CustomResourceDefinition;
  const causes: StatusCause[] = [];
  const spec = crd.spec as Partial<CustomResourceDefinition['spec']> | undefined;
  if (spec?.names === undefined || spec.group === undefined || !Array.isArray(spec.versions)) {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'spec',
      message: 'Required value: group, names and versions are required',
    });
  } else {
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: 'spec.scope',
        message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"`,
      });
    }
    checkNames(crd, causes);
    checkVersions(crd, causes);
  }
  if (causes.length > 0) {
    throw invalid(
      {
        kind: 'CustomResourceDefinition',
        group: 'apiextensions.k8s.io',
        name: obj.metadata.name ?? '',
      },
      causes,
    );
  }
  return crd;
}
