import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string | null;
  activityId: string | null;
  body: Record<string, unknown>;
}

type Fault = {
  status: number;
  times: number;
  match: (call: ConnectorCall) => boolean;
  headers?: Record<string, string>;
};

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => {
      try {
        resolve(data ? (JSON.parse(data) as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
  });
}

/**
 * Teams' side of the wire for tests: an HTTP server on loopback that takes the bot's replies,
 * card updates and new conversations, records them, and can be told to fail.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private faults: Fault[] = [];
  private server: Server | null = null;
  private next = 1;
  url = '';

  /** Starts listening afresh: no calls, no faults, conversation numbers from 1. */
  async start(): Promise<void> {
    this.clear();
    this.next = 1;
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const path = (req.url ?? '').split('?')[0]!;
        const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
        const call: ConnectorCall = {
          method: req.method ?? '',
          path,
          conversationId: m?.[1] ? decodeURIComponent(m[1]) : null,
          activityId: m?.[2] ? decodeURIComponent(m[2]) : null,
          body,
        };
        const fault = this.faults.find((f) => f.times > 0 && f.match(call));
        if (fault) {
          fault.times -= 1;
          res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
          res.end(JSON.stringify({ error: { code: 'Fault', message: `injected ${fault.status}` } }));
          return;
        }
        this.calls.push(call);
        res.writeHead(m ? 200 : 404, { 'content-type': 'application/json' });
        if (!m) return res.end('{}');
        if (!call.conversationId)
          return res.end(JSON.stringify({ id: `created-${this.next++}`, activityId: `a-${this.next++}` }));
        res.end(JSON.stringify({ id: call.activityId ?? `a-${this.next++}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Fail the next `times` calls that match with `status` (and headers, e.g. Retry-After). */
  fail(
    status: number,
    times: number,
    match: (call: ConnectorCall) => boolean = () => true,
    headers?: Record<string, string>,
  ): void {
    this.faults.push({ status, times, match, headers });
  }

  clear(): void {
    this.calls.length = 0;
    this.faults = [];
  }

  /** Messages sent (not updates) into a conversation, in order. */
  sentTo(conversationId: string): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId);
  }

  updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT');
  }

  created(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.conversationId === null);
  }
}

/** The Adaptive Card in an activity body, if any. */
export function cardOf(body: Record<string, unknown>): Record<string, unknown> | null {
  const attachments = body.attachments as
    { contentType?: string; content?: Record<string, unknown> }[] | undefined;
  return (
    attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content ?? null
  );
}
