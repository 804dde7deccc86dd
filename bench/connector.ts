import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A reply that reached the connector: when, and its raw JSON body. */
export interface Reply {
  at: number;
  body: string;
}

const ROUTE = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/;

/**
 * Teams' side of the wire for the benchmark: takes the bots' replies on loopback and tells the
 * load driver when the reply to a given activity arrived. A bot's reply in a turn is posted to
 * `/v3/conversations/{conversation}/activities/{id of the activity it answers}`; everything else
 * (proactive notifications, card updates, new conversations) is answered and counted.
 */
export class BenchConnector {
  private server: Server | null = null;
  private waiting = new Map<string, (reply: Reply) => void>();
  /** Replies that arrived for nobody waiting (late, or not a turn reply). */
  other = 0;
  private next = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const m = ROUTE.exec((req.url ?? '').split('?')[0]!);
        if (!m) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        const replyTo = m[2] ? decodeURIComponent(m[2]) : null;
        const waiter = replyTo && req.method === 'POST' ? this.waiting.get(replyTo) : undefined;
        if (waiter) {
          this.waiting.delete(replyTo!);
          waiter({ at, body: Buffer.concat(chunks).toString('utf8') });
        } else {
          this.other += 1;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(m[1] ? { id: `r-${this.next++}` } : { id: `c-${this.next++}`, activityId: 'a' }),
        );
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Resolves with the first reply to activity `activityId` (call before sending it). */
  replyTo(activityId: string, timeoutMs = 30_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(activityId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /** Forgets a waiter whose turn failed. */
  cancel(activityId: string): void {
    this.waiting.delete(activityId);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
