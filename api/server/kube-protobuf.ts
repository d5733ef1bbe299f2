import protobuf from 'protobufjs';
import { ApiError, badRequest } from '../../core/errors/index.ts';

// kubectl's typed clients (e.g. `kubectl create namespace`) send built-in kinds as Kubernetes
// protobuf and only fall back on 415 for CBOR, so the server must read this envelope for the
// built-in kinds it serves. No npm package decodes it without the whole generated k8s schema,
// so the few messages needed are declared here (field numbers from k8s.io/api generated.proto).
const PROTO = `
syntax = "proto2";
package k8s;
message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
message OwnerReference {
  optional string kind = 1; optional string name = 3; optional string uid = 4;
  optional string apiVersion = 5; optional bool controller = 6; optional bool blockOwnerDeletion = 7;
}
message ObjectMeta {
  optional string name = 1; optional string generateName = 2; optional string namespace = 3;
  optional string uid = 5; optional string resourceVersion = 6;
  map<string, string> labels = 11; map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13; repeated string finalizers = 14;
}
message NamespaceSpec { repeated string finalizers = 1; }
message NamespaceStatus { optional string phase = 1; }
message Namespace { optional ObjectMeta metadata = 1; optional NamespaceSpec spec = 2; optional NamespaceStatus status = 3; }
message LeaseSpec {
  optional string holderIdentity = 1; optional int32 leaseDurationSeconds = 2;
  optional Time acquireTime = 3; optional Time renewTime = 4; optional int32 leaseTransitions = 5;
}
message Lease { optional ObjectMeta metadata = 1; optional LeaseSpec spec = 2; }
message Preconditions { optional string uid = 1; optional string resourceVersion = 2; }
message DeleteOptions {
  optional int64 gracePeriodSeconds = 1; optional Preconditions preconditions = 2;
  optional bool orphanDependents = 3; optional string propagationPolicy = 4; repeated string dryRun = 5;
}
message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
message Unknown { optional TypeMeta typeMeta = 1; optional bytes raw = 2; optional string contentEncoding = 3; optional string contentType = 4; }
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
const KINDS: Readonly<Record<string, string>> = {
  Namespace: 'k8s.Namespace',
  Lease: 'k8s.Lease',
  DeleteOptions: 'k8s.DeleteOptions',
};

function rfc3339(t: unknown): unknown {
  if (typeof t !== 'object' || t === null) return t;
  const { seconds, nanos } = t as { seconds?: number | string; nanos?: number };
  const ms = Number(seconds ?? 0) * 1000 + Math.floor((nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

/** decodeKubeProtobuf turns a `k8s\0`-framed protobuf body of a supported kind into JSON. */
export function decodeKubeProtobuf(body: Buffer): unknown {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('protobuf body lacks the k8s envelope');
  const unknown = root.lookupType('k8s.Unknown').decode(body.subarray(4)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const kind = unknown.typeMeta?.kind ?? '';
  const typeName = KINDS[kind];
  if (typeName === undefined) {
    throw new ApiError(
      'UnsupportedMediaType',
      `protobuf is not supported for kind "${kind}"; send application/json`,
    );
  }
  const type = root.lookupType(typeName);
  const obj = type.toObject(type.decode(unknown.raw ?? new Uint8Array()), {
    longs: Number,
    defaults: false,
  }) as Record<string, unknown>;
  const spec = obj['spec'] as Record<string, unknown> | undefined;
  if (spec !== undefined) {
    for (const f of ['acquireTime', 'renewTime'])
      if (spec[f] !== undefined) spec[f] = rfc3339(spec[f]);
  }
  return { apiVersion: unknown.typeMeta?.apiVersion, kind, ...obj };
}
