import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../electron/core/errors.ts';
import { failure, MAX_BODY_BYTES, routes, success, type RoutePath } from '../../protocol/sync.ts';
import type { ServerDb } from '../db/connect.ts';
import { pointByToken, type Point } from '../points.ts';
import { applyEvents } from '../sync/apply.ts';
import { pull } from '../sync/pull.ts';
import { fromFastify, statusOf } from './errors.ts';
import { useZod } from './zod-compilers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    point: Point | null;
  }
}

type Handlers = { [P in RoutePath]: (point: Point, body: z.output<(typeof routes)[P]['request']>) => Promise<z.output<(typeof routes)[P]['response']>> };

function handlers(db: ServerDb): Handlers {
  return {
    '/v1/hello': async (point) => ({ pointCode: point.code, unit: point.unit, office: point.office, lastSeq: point.lastSeq, serverTime: new Date().toISOString() }),
    '/v1/push': (point, body) => applyEvents(db, point.code, body.events, 'push', { recordSeq: true }),
    '/v1/pull': (point, body) => pull(db, point, body.cursor, body.limit),
  };
}

/** The bearer token of a request, checked before its body is read: an unknown caller costs no parsing. */
async function authenticate(db: ServerDb, request: FastifyRequest): Promise<Point> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (token === '') throw new AppError('TOKEN_MISSING', 'Thiếu mã truy cập của điểm thu (Authorization: Bearer …).');
  const point = await pointByToken(db, token);
  if (point === null) throw new AppError('TOKEN_INVALID', 'Mã truy cập không đúng hoặc đã bị thu hồi.');
  return point;
}

/**
 * The sync API over HTTPS only (a plain-HTTP server is never built: a token never crosses an office
 * network in clear). Every route: token, then size limit, JSON, zod schema, then the point must be
 * the token's point; the answer is validated against the protocol before it is sent.
 */
export function buildApp(db: ServerDb, tls: { key: string; cert: string }): FastifyInstance {
  const app = Fastify({ https: { key: tls.key, cert: tls.cert }, bodyLimit: MAX_BODY_BYTES, logger: false, forceCloseConnections: true, return503OnClosing: true });
  useZod(app);
  app.removeContentTypeParser('text/plain'); // JSON only: anything else is a 415 before any parsing
  app.decorateRequest('point', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === undefined) return; // 404: answered by the not-found handler
    request.point = await authenticate(db, request);
  });
  const h = handlers(db);
  for (const path of Object.keys(routes) as RoutePath[]) {
    const route = routes[path];
    app.post(path, { schema: { body: route.request, response: { 200: success(route.response) } } }, async (request) => {
      const point = request.point!;
      const body = request.body as { pointCode: string };
      if (body.pointCode !== point.code) {
        throw new AppError('POINT_NOT_YOURS', `Mã truy cập này là của điểm thu ${point.code}, không phải ${body.pointCode}: không ghi gì.`);
      }
      const handler = h[path] as (p: Point, b: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(point, body) };
    });
  }
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(failure.parse({ ok: false, error: { code: 'ROUTE_UNKNOWN', message: 'Không có địa chỉ này trên máy chủ đồng bộ.' } }));
  });
  app.setErrorHandler((error, _request, reply) => {
    const shape = fromFastify(error);
    if (shape.code === 'INTERNAL') process.stderr.write(`[INTERNAL] ${(error as Error).stack ?? String(error)}\n`);
    void reply.code(statusOf(shape)).serializer(JSON.stringify).send({ ok: false, error: shape });
  });
  return app;
}
