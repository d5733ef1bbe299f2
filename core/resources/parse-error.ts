/**
 * ResourceParseError reports input that is not a valid resource, quantity or limit. `field` is the
 * path of the offending value (`spec.resources[2].reservations[0].role`), so the API layer can turn
 * it into a Kubernetes `Invalid` cause without parsing the message.
 */
export class ResourceParseError extends Error {
  override readonly name = 'ResourceParseError';
  readonly field: string;
  readonly detail: string;

  constructor(field: string, detail: string) {
    super(`${field}: ${detail}`);
    this.field = field;
    this.detail = detail;
  }
}
