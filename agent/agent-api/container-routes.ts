// The agent API's standalone container routes (Mesos LAUNCH/WAIT/KILL/REMOVE_CONTAINER):
//   POST   /v1/containers              launch; 200 launched, 202 id already in use, 400 refused
//   GET    /v1/containers              list
//   GET    /v1/containers/<id>         state
//   GET    /v1/containers/<id>/wait    blocks until the container ends, then its state
//   GET    /v1/containers/<id>/logs    log (stream, tail)
//   POST   /v1/containers/<id>/exec    framed exec session
//   POST   /v1/containers/<id>/attach  framed attach (stdin if launched with stdin)
//   DELETE /v1/containers/<id>         kill and remove; 404 when unknown
import type { IncomingMessage } from 'node:http';
import { ContainerSpecError } from '../runtime/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { StandaloneContainers } from '../standalone/containers.ts';
import { parseStandaloneRequest, StandaloneRequestError } from '../standalone/request.ts';
import type { Route } from './server.ts';
import { ApiError, sendJson } from './server.ts';
import { runtimeError, serveAttach, serveExec, serveLogs } from './sessions.ts';

/** ContainerRouteDeps are the standalone containers and the runtime under them. */
export interface ContainerRouteDeps {
  readonly containers: StandaloneContainers;
  readonly runtime: ContainerRuntime;
  readonly workDir: string;
}

const MAX_BODY = 1024 * 1024;

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'request body too large');
    parts.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new ApiError(400, 'the body is not JSON');
  }
}

const ONE = '/v1/containers/([^/]+)';

/** containerRoutes are the routes of standalone containers. */
export function containerRoutes(d: ContainerRouteDeps): Route[] {
  const known = async (id: string): Promise<string> => {
    await d.containers.get(id).catch((e: unknown) => {
      throw runtimeError(e);
    });
    return id;
  };
  return [
    {
      method: 'POST',
      path: /^\/v1\/containers$/,
      handler: async (req, res) => {
        let request;
        try {
          request = parseStandaloneRequest(await jsonBody(req));
          const { launched } = await d.containers.launch(request);
          sendJson(res, launched ? 200 : 202, { id: request.id, launched });
        } catch (e) {
          if (e instanceof StandaloneRequestError || e instanceof ContainerSpecError) {
            throw new ApiError(400, e.message);
          }
          throw e;
        }
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/containers$/,
      handler: async (_req, res) => sendJson(res, 200, { items: await d.containers.list() }),
    },
    {
      method: 'GET',
      path: new RegExp(`^${ONE}$`),
      handler: async (_req, res, [id = '']) => {
        const info = await d.containers.get(id).catch((e: unknown) => {
          throw runtimeError(e);
        });
        sendJson(res, 200, info);
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${ONE}/wait$`),
      handler: async (_req, res, [id = '']) => {
        const stop = new AbortController();
        res.once('close', () => stop.abort());
        const state = await d.containers.wait(id, stop.signal).catch((e: unknown) => {
          throw runtimeError(e);
        });
        sendJson(res, 200, { id, state });
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${ONE}/logs$`),
      handler: async (_req, res, [id = ''], url) =>
        serveLogs({ workDir: d.workDir, containerId: await known(id) }, res, url),
    },
    {
      method: 'POST',
      path: new RegExp(`^${ONE}/exec$`),
      handler: async (req, res, [id = '']) =>
        serveExec({ runtime: d.runtime, containerId: await known(id) }, req, res),
    },
    {
      method: 'POST',
      path: new RegExp(`^${ONE}/attach$`),
      handler: async (req, res, [id = '']) => {
        const info = await d.containers.get(id).catch((e: unknown) => {
          throw runtimeError(e);
        });
        await serveAttach(
          { runtime: d.runtime, containerId: id, acceptsStdin: info.stdin },
          req,
          res,
        );
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(`^${ONE}$`),
      handler: async (_req, res, [id = '']) => {
        if (!(await d.containers.remove(id))) throw new ApiError(404, `container ${id} not found`);
        sendJson(res, 200, { id, removed: true });
      },
    },
  ];
}
