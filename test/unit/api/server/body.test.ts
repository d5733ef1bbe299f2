import { expect } from 'chai';
import { decodeBody, isProtobufBody } from '../../../../api/server/body.ts';
import { ApiError } from '../../../../core/errors/index.ts';

// a Namespace named `demo` in kube's protobuf envelope: "k8s\0", then Unknown{typeMeta, raw}
function namespaceEnvelope(): Buffer {
  const str = (field: number, s: string): Buffer =>
    Buffer.concat([Buffer.from([(field << 3) | 2, s.length]), Buffer.from(s)]);
  const msg = (field: number, ...parts: Buffer[]): Buffer => {
    const body = Buffer.concat(parts);
    return Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);
  };
  const raw = msg(1, str(1, 'demo'));
  const unknown = Buffer.concat([msg(1, str(1, 'v1'), str(2, 'Namespace')), msg(2, raw)]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

describe('request bodies (decodeBody)', () => {
  it('reads JSON given as text (resource-route) or as bytes (express.raw) alike', () => {
    const json = '{"kind":"Task","metadata":{"name":"Zoë"}}';
    const want = { kind: 'Task', metadata: { name: 'Zoë' } };
    expect(decodeBody(json, 'application/json')).to.deep.equal(want);
    expect(decodeBody(Buffer.from(json), 'application/json')).to.deep.equal(want);
  });

  it('reads YAML text for apply patches and YAML uploads', () => {
    const yaml = 'kind: Task\nmetadata:\n  name: a\n';
    const want = { kind: 'Task', metadata: { name: 'a' } };
    expect(decodeBody(yaml, 'application/apply-patch+yaml')).to.deep.equal(want);
    expect(decodeBody(Buffer.from(yaml), 'application/yaml; charset=utf-8')).to.deep.equal(want);
  });

  it('refuses an empty body and undecodable JSON with 400', () => {
    for (const [raw, message] of [
      ['  ', /body is empty/],
      [undefined, /body is empty/],
      ['{"a":', /error decoding JSON body/],
    ] as const) {
      const decode = (): unknown => decodeBody(raw, 'application/json');
      expect(decode).to.throw(ApiError, message);
    }
  });

  it('reads kube protobuf from bytes, and tells its content type', () => {
    expect(isProtobufBody('application/vnd.kubernetes.protobuf')).to.equal(true);
    expect(isProtobufBody('application/json')).to.equal(false);
    expect(isProtobufBody(undefined)).to.equal(false);
    const got = decodeBody(namespaceEnvelope(), 'application/vnd.kubernetes.protobuf');
    expect(got).to.deep.equal({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  });
});
