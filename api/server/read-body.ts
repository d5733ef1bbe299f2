import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { ApiError } from '../../core/errors/index.ts';

/** MAX_BODY is kube's request size limit (3 MiB); larger bodies get 413. */
export const MAX_BODY = 3 * 1024 * 1024;

/** tooLarge is the 413 a body over MAX_BODY gets (the text toApiError gives body-parser's). */
export function tooLarge(): ApiError {
  return new ApiError('RequestEntityTooLarge', 'the request body is too large: the limit is 3 MiB');
}

/**
 * isPlainBody tells whether readBody can read this request: it has no content coding. Bodies
 * sent gzip- or deflate-encoded go through express.raw, which inflates them.
 */
export function isPlainBody(req: IncomingMessage): boolean {
  const coding = req.headers['content-encoding'];
  return coding === undefined || coding.toLowerCase() === 'identity';
}

/**
 * readBody collects a request body as express.raw does, without body-parser's per-request
 * machinery (type checks, async-hooks binding, callback wrapping): undefined when the request
 * declares no body (no Content-Length, no Transfer-Encoding), else the bytes. Over `limit` it
 * rejects with 413 once the rest of the body has been read off, as body-parser does, so the
 * client sees the answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  const length = declared === undefined ? NaN : Number(declared);
  if (req.headers['transfer-encoding'] === undefined && Number.isNaN(length))
    return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const detach = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    // answer only once the request is fully read (or gone), so the response is not cut short
    const drainThenFail = (err: Error): void => {
      detach();
      finished(req, () => reject(err));
      req.resume();
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) drainThenFail(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      detach();
      if (!Number.isNaN(length) && received !== length)
        reject(new Error('request size did not match content length'));
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onError = (err: Error): void => {
      detach();
      reject(err);
    };
    const onClose = (): void => onError(new Error('request aborted'));
    if (length > limit) {
      drainThenFail(tooLarge());
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
