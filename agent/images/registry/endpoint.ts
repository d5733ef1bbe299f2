// Where a registry's API lives, and the one check every URL we fetch passes through (the API
// base, token realms and blob redirects alike): https anywhere, plain http only to loopback.
import { InsecureRegistryError, RegistryError } from '../errors.ts';
import { isLoopbackHost } from '../reference.ts';

/** RegistryEndpoint is the part of a reference that says which server and repository to ask. */
export interface RegistryEndpoint {
  readonly scheme: 'https' | 'http';
  readonly registry: string;
  readonly repository: string;
}

/** registryBaseUrl is the API root (no trailing slash); Docker Hub's API host is registry-1. */
export function registryBaseUrl(ep: Pick<RegistryEndpoint, 'scheme' | 'registry'>): string {
  const host = ep.registry === 'docker.io' ? 'registry-1.docker.io' : ep.registry;
  return `${ep.scheme}://${host}`;
}

/** safeUrl parses a URL we are about to fetch and refuses anything but https or loopback http. */
export function safeUrl(text: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new RegistryError({ status: 0, message: `registry sent an invalid URL "${text}"` });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') throw new InsecureRegistryError(url.origin);
  throw new RegistryError({ status: 0, message: `refusing ${url.protocol} URL ${url.origin}` });
}
