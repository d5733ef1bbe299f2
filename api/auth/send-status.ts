import type { Response } from 'express';
import type { ApiError } from '../../core/errors/index.ts';

/** sendStatus answers with an error's `Status` body and code, as kube-apiserver does. */
export function sendStatus(res: Response, err: ApiError): void {
  res.status(err.code).type('application/json').send(JSON.stringify(err.toStatus()));
}
