export { DEFAULT_TLS_HOSTS, ensureTlsMaterial } from './ensure-tls-material.ts';
export type { TlsMaterial, TlsMaterialOptions } from './ensure-tls-material.ts';
export { PUBLIC_MODE, SECRET_MODE, writeFileAtomic } from './private-file.ts';
