import type { CustomResourceDefinition, JSONSchemaProps } from './crd-types.ts';
import type { ResourceInfo } from './resource-info.ts';

const PERMISSIVE: JSONSchemaProps = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
};

/**
 * resourcesFromCrd turns a CRD into one ResourceInfo per served version. Conversion between
 * versions is strategy None (only apiVersion differs), the only strategy we support.
 */
export function resourcesFromCrd(crd: CustomResourceDefinition): ResourceInfo[] {
  const { group, names, scope, versions } = crd.spec;
  const storage = versions.find(v => v.storage)?.name ?? versions[0]?.name ?? 'v1';
  return versions
    .filter(v => v.served)
    .map(v => {
      const scale = v.subresources?.scale;
      const info: ResourceInfo = {
        group,
        version: v.name,
        storageVersion: storage,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: scope === 'Namespaced',
        schema: v.schema?.openAPIV3Schema ?? PERMISSIVE,
        statusSubresource: v.subresources?.status !== undefined,
        printerColumns: v.additionalPrinterColumns ?? [],
        selectableFields: (v.selectableFields ?? []).map(f => f.jsonPath),
        deprecated: v.deprecated ?? false,
        ...(scale === undefined ? {} : { scale }),
        ...(v.deprecationWarning === undefined ? {} : { deprecationWarning: v.deprecationWarning }),
      };
      return info;
    });
}
