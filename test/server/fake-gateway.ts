import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/** What the fake does to one request: answer normally, or fail in one of the ways gateways fail. */
export type Fault =
  | 'error500' // refused before accepting
  | 'timeout' // accepted, answer held past the client's timeout
  | 'cut' // accepted, connection cut before the answer
  | 'reject'; // 400: the gateway will never take it

export interface FakeGatewayOptions {
  fault?: (maTin: string, attempt: number) => Fault | null;
  /** How long a 'timeout' answer is held. */
  holdMs?: number;
  /** Each delivery report listed twice. */
  reportTwice?: boolean;
  /** Reports are withheld until releaseReports(). */
  lateReports?: boolean;
  /** Called for every send request, before it is answered (a test may kill the sender here). */
  onRequest?: (maTin: string, count: number) => void;
}

/**
 * A local SMS gateway speaking the generic HTTP JSON protocol (server/sms/gateway.ts, default
 * profile): POST /send {id, to, text} with the Idempotency-Key header = id, answered
 * {status: accepted|duplicate, messageId}; GET /reports?since=N answered {reports: [...], next}.
 * It checks each request against that protocol, keeps the first message of each key (a repeat gets
 * the first one's id), and counts what a real gateway's customer would see.
 */
export async function startFakeGateway(options: FakeGatewayOptions = {}) {
  const accepted = new Map<string, { messageId: string; to: string; text: string }>();
  /** Keys whose acceptance reached the client (a full 200 answer). */
  const acknowledged = new Set<string>();
  const attempts = new Map<string, number>();
  const protocolErrors: string[] = [];
  let requests = 0;
  let sendsAfterAck = 0;
  let duplicates = 0;
  const reports: { id: string; messageId: string; status: string; at: string }[] = [];
  let released = !(options.lateReports ?? false);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => resolve(text));
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/reports') {
        const since = Number(url.searchParams.get('since') ?? '0');
        const visible = released ? reports : [];
        const page = visible.slice(since, since + 100);
        const listed = options.reportTwice === true ? page.flatMap((r) => [r, r]) : page;
        return json(res, 200, { reports: listed, next: String(since + page.length) });
      }
      if (req.method !== 'POST' || url.pathname !== '/send') return json(res, 404, { error: 'not found' });
      const text = await read(req);
      let body: { id?: unknown; to?: unknown; text?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        protocolErrors.push(`not JSON: ${text.slice(0, 50)}`);
        return json(res, 400, { error: 'not json' });
      }
      const id = String(body.id);
      const problems = [
        req.headers['content-type'] !== 'application/json' ? 'content-type' : '',
        req.headers['idempotency-key'] !== id ? `idempotency key ${String(req.headers['idempotency-key'])} is not the id ${id}` : '',
        typeof body.to !== 'string' || !/^84\d{9}$/.test(body.to) ? `to ${String(body.to)}` : '',
        typeof body.text !== 'string' || body.text.length === 0 || body.text.length > 160 || !/^[A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]*$/.test(body.text) ? 'text not one GSM-7 SMS' : '',
      ].filter((p) => p !== '');
      if (problems.length > 0) {
        protocolErrors.push(...problems);
        return json(res, 400, { error: problems.join('; ') });
      }
      requests++;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      if (acknowledged.has(id)) sendsAfterAck++;
      options.onRequest?.(id, requests);
      const fault = options.fault?.(id, attempt) ?? null;
      if (fault === 'error500') return json(res, 503, { error: 'busy' });
      if (fault === 'reject') return json(res, 400, { error: 'number blocked' });
      let first = accepted.get(id);
      const isNew = first === undefined;
      if (first === undefined) {
        first = { messageId: `GW${accepted.size + 1}`, to: body.to as string, text: body.text as string };
        accepted.set(id, first);
        reports.push({ id, messageId: first.messageId, status: 'delivered', at: new Date().toISOString() });
      } else {
        duplicates++;
      }
      if (fault === 'cut') return req.socket.destroy();
      const answer = { status: isNew ? 'accepted' : 'duplicate', messageId: first.messageId };
      if (fault === 'timeout') {
        setTimeout(() => (res.destroyed ? undefined : json(res, 200, answer)), options.holdMs ?? 1000);
        return;
      }
      res.on('finish', () => acknowledged.add(id));
      json(res, 200, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    acknowledged,
    protocolErrors,
    get requests() {
      return requests;
    },
    get sendsAfterAck() {
      return sendsAfterAck;
    },
    get duplicates() {
      return duplicates;
    },
    releaseReports: () => (released = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The fake gateway of one test file, closed when it ends. */
export async function fakeGateway(options: FakeGatewayOptions = {}): ReturnType<typeof startFakeGateway> {
  const gateway = await startFakeGateway(options);
  after(() => gateway.close());
  return gateway;
}
