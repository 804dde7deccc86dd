import { Agent, request } from 'node:http';
import type { BenchConnector } from './connector.js';
import { percentile, round } from './stats.js';

/** One turn to send: a Bot Framework activity, and how to tell its reply is the right one. */
export interface Turn {
  activity: Record<string, unknown> & { id: string };
  /** A message's reply is posted to the connector; an invoke's reply is the HTTP response body. */
  kind: 'message' | 'invoke';
  /** Checks the reply's raw JSON; a turn whose reply fails this counts as an error. */
  expect: (body: string) => boolean;
}

export interface LevelResult {
  requests: number;
  concurrency: number;
  errors: number;
  /** The first error, to say what went wrong. */
  firstError: string | null;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface Response {
  status: number;
  body: string;
}

/**
 * Drives a bot over loopback HTTP: `requests` turns from `concurrency` conversations at once,
 * each conversation sending its next activity as soon as its previous turn is complete. A turn's
 * latency runs from the POST to the reply: for a message, the moment the bot's reply reached the
 * connector (during the turn, before the bot answers the POST); for an invoke, the moment the
 * response body (the card) was read. A turn is complete when both the reply and the HTTP
 * response are in, so no more than `concurrency` turns are ever in flight.
 */
export async function runLevel(options: {
  port: number;
  connector: BenchConnector;
  concurrency: number;
  requests: number;
  turn: (index: number, worker: number) => Turn;
}): Promise<LevelResult> {
  const { port, connector, concurrency, requests } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const fail = (message: string) => {
    errors += 1;
    firstError ??= message;
  };

  const post = (body: string): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/messages',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const worker = async (w: number) => {
    for (let i = next++; i < requests; i = next++) {
      const turn = options.turn(i, w);
      const body = JSON.stringify(turn.activity);
      const started = performance.now();
      try {
        if (turn.kind === 'message') {
          const reply = connector.replyTo(turn.activity.id);
          reply.catch(() => {});
          const response = await post(body);
          if (response.status !== 200) {
            connector.cancel(turn.activity.id);
            fail(`HTTP ${response.status}: ${response.body.slice(0, 200)}`);
            continue;
          }
          const { at, body: replyBody } = await reply;
          if (!turn.expect(replyBody)) fail(`unexpected reply: ${replyBody.slice(0, 300)}`);
          else latencies.push(at - started);
        } else {
          const response = await post(body);
          const at = performance.now();
          if (response.status !== 200 || !turn.expect(response.body)) {
            fail(`HTTP ${response.status}: ${response.body.slice(0, 300)}`);
          } else latencies.push(at - started);
        }
      } catch (error) {
        connector.cancel(turn.activity.id);
        fail(error instanceof Error ? error.message : String(error));
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests,
    concurrency,
    errors,
    firstError,
    seconds: round(seconds, 2),
    turnsPerSecond: round(requests / seconds, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
  };
}
