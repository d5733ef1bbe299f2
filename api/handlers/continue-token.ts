import { badRequest } from '../../core/errors/index.ts';

/** ContinueToken is kube's opaque paging state: the list revision and the last key returned. */
export interface ContinueToken {
  readonly rv: string;
  /** start is the key suffix (after the collection prefix) to continue after. */
  readonly start: string;
}

/** encodeContinue renders kube's token shape: base64url of `{"v":"meta.k8s.io/v1","rv":N,"start":"..."}`. */
export function encodeContinue(t: ContinueToken): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(t.rv), start: `${t.start}\u0000` });
  return Buffer.from(json).toString('base64url');
}

/** decodeContinue parses a token; a malformed one is a 400. */
export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (
      parsed.v !== 'meta.k8s.io/v1' ||
      typeof parsed.rv !== 'number' ||
      typeof parsed.start !== 'string'
    ) {
      throw new Error('bad shape');
    }
    const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
    if (start.includes('..') || start.startsWith('/')) throw new Error('bad key');
    return { rv: String(parsed.rv), start };
  } catch {
    throw badRequest('continue key is not valid: the token is malformed');
  }
}
