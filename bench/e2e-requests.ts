#!/usr/bin/env node
// Summarizes the API server's request log of an end-to-end run (`CORRAL_BENCH_LOG=apiserver=debug
// CORRAL_BENCH_KEEP=1 npm run bench -- e2e`, then `node bench/e2e-requests.ts <run dir>/apiserver.log
// [tasks]`): requests by verb, resource, subresource and answer code, with the server's time for
// them, and per task when the task count is given. Where etcd's write count says what was
// written, this says what was asked: reads, refused writes (409 Conflict) and their retries.
import { readFileSync } from 'node:fs';

interface RequestLine {
  readonly msg?: string;
  readonly method?: string;
  readonly url?: string;
  readonly code?: number;
  readonly ms?: number;
}

/** RequestGroup is the requests of one kind. */
export interface RequestGroup {
  count: number;
  totalMs: number;
  maxMs: number;
}

// what a request is: `PUT tasks/status 409`, `POST offers 201`, `GET agents (list)`
function kindOf(r: RequestLine): string | undefined {
  const [path = '', query = ''] = (r.url ?? '').split('?');
  if (query.includes('watch=')) return undefined;
  const parts = path.split('/').filter(p => p !== '');
  // /api/v1/... or /apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const [first, second, third, fourth] = rest;
  const namespaced = first === 'namespaces' && third !== undefined;
  const resource = namespaced
    ? third
    : first === 'namespaces' && second !== undefined
      ? 'namespaces'
      : first;
  const name = namespaced ? fourth : second;
  const sub = namespaced ? rest[4] : rest[2];
  if (resource === undefined) return undefined;
  const what = `${resource}${sub === undefined ? '' : `/${sub}`}${name === undefined ? ' (collection)' : ''}`;
  return `${r.method ?? '?'} ${what} ${r.code ?? '?'}`;
}

/** summarizeRequests groups the request lines of a log. */
export function summarizeRequests(text: string): Map<string, RequestGroup> {
  const groups = new Map<string, RequestGroup>();
  for (const line of text.split('\n')) {
    if (!line.includes('"msg":"request"')) continue;
    let r: RequestLine;
    try {
      r = JSON.parse(line) as RequestLine;
    } catch {
      continue;
    }
    const kind = kindOf(r);
    if (kind === undefined) continue;
    const g = groups.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
    g.count += 1;
    g.totalMs += r.ms ?? 0;
    g.maxMs = Math.max(g.maxMs, r.ms ?? 0);
    groups.set(kind, g);
  }
  return groups;
}

if (import.meta.main) {
  const [file, tasks] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node bench/e2e-requests.ts <apiserver.log> [tasks]\n');
    process.exit(2);
  }
  const perTask = tasks === undefined ? undefined : Number(tasks);
  const groups = [...summarizeRequests(readFileSync(file, 'utf8'))].sort(
    ([, a], [, b]) => b.count - a.count,
  );
  const lines = groups.map(([kind, g]) => {
    const share =
      perTask === undefined ? '' : `  ${(g.count / perTask).toFixed(2).padStart(7)}/task`;
    return `${String(g.count).padStart(8)}  ${kind.padEnd(44)} mean ${(g.totalMs / g.count).toFixed(1).padStart(6)} ms  max ${g.maxMs.toFixed(0).padStart(5)} ms${share}`;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}
