import { createRequire } from 'node:module';
import type * as Connector from 'botframework-connector';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import restify from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { withoutQuery } from '../redact.js';
import type { CaseRecordsBot } from './bot.js';
import type { TurnsInFlight } from './turns-in-flight.js';
import { errorReference, quoting } from '../error-reference.js';

/** Activities larger than this are refused with 413: no real Teams activity comes close. */
export const MAX_BODY_BYTES = 256 * 1024;
/** How long a client may take to send a request's headers, and the whole request. */
export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The SDK's own AuthenticationError class (CloudAdapter answers 401 only for it), from the copy of
 * botframework-connector that botbuilder itself loads.
 */
const { AuthenticationError } = createRequire(import.meta.resolve('botbuilder'))(
  'botframework-connector',
) as typeof Connector;

/** The errors jsonwebtoken throws for a token that does not verify. */
function isTokenError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError';
}

export function createAdapter(config: Pick<Config, 'bot'>, log: Logger): CloudAdapter {
  const bot = config.bot;
  const settings: ConfigurationBotFrameworkAuthenticationOptions = bot
    ? {
        MicrosoftAppId: bot.appId,
        MicrosoftAppPassword: bot.password ?? undefined,
        MicrosoftAppType: bot.appType,
        MicrosoftAppTenantId: bot.tenantId ?? undefined,
        CertificateThumbprint: bot.certificateThumbprint ?? undefined,
        CertificatePrivateKey: bot.certificatePrivateKey ?? undefined,
      }
    : { MicrosoftAppId: '', MicrosoftAppPassword: '' };
  const auth = new ConfigurationBotFrameworkAuthentication(settings);
  // The SDK lets some bad tokens through as plain errors (a signature made with another key, an
  // algorithm it does not take), which CloudAdapter answers with 500: they are refusals, 401.
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    let result: Awaited<ReturnType<typeof authenticate>>;
    try {
      result = await authenticate(activity, authHeader);
    } catch (error) {
      if (error instanceof AuthenticationError || !isTokenError(error)) throw error;
      throw new AuthenticationError(`Unauthorized: ${(error as Error).message}`, StatusCodes.UNAUTHORIZED);
    }
    // The bot replies to, and saves for later notifications, the activity's service URL: only one the
    // Bot Framework's token vouches for (its serviceurl claim). The SDK checks the claim for channel
    // tokens but not for every kind of token it takes (emulator tokens carry none).
    if (bot && result.claimsIdentity.getClaimValue('serviceurl') !== activity.serviceUrl) {
      throw new AuthenticationError(
        'Unauthorized: the token does not vouch for the activity’s service URL',
        StatusCodes.UNAUTHORIZED,
      );
    }
    return result;
  };
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    const errorRef = errorReference();
    log.error({ err: error, activityType: context.activity.type, errorRef }, 'turn failed');
    if (context.activity.type !== 'message') return;
    try {
      await context.sendActivity(
        `Sorry, something went wrong on my side. Nothing was changed; please try again in a moment. ${quoting(errorRef)}`,
      );
    } catch (sendError) {
      // The reply address is unreachable too: the log has both.
      log.warn({ err: sendError, errorRef }, 'could not tell the person their message failed');
    }
  };
  return adapter;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Screens a request body that claims to be an activity. Returns what is wrong with it, or null when
 * it will do: a type, a channel, a service URL and a conversation id, the fields the bot needs to
 * answer at all. Optional fields of the wrong type (an id that is a number, a sender's
 * aadObjectId that is an object, a locale that is a list) are dropped, so the activity is handled
 * as one without them; left in, they fail deep in the SDK when the bot replies, as a server error.
 */
export function screenActivity(body: unknown): string | null {
  if (!isObject(body)) return 'it is not a JSON object';
  if (typeof body.type !== 'string' || !body.type.trim()) return 'type is missing';
  if (typeof body.channelId !== 'string' || !body.channelId) return 'channelId is missing';
  if (typeof body.serviceUrl !== 'string' || !body.serviceUrl) return 'serviceUrl is missing';
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string' || !body.conversation.id)
    return 'conversation.id is missing';
  const dropUnless = (o: Record<string, unknown>, key: string, ok: (v: unknown) => boolean) => {
    if (o[key] !== undefined && !ok(o[key])) delete o[key];
  };
  const isText = (v: unknown) => typeof v === 'string';
  const isList = (v: unknown) => Array.isArray(v) && v.every(isObject);
  for (const key of ['id', 'locale', 'replyToId', 'text', 'name', 'action', 'textFormat', 'timestamp'])
    dropUnless(body, key, isText);
  for (const key of ['from', 'recipient', 'channelData']) dropUnless(body, key, isObject);
  for (const key of [
    'entities',
    'attachments',
    'membersAdded',
    'membersRemoved',
    'reactionsAdded',
    'reactionsRemoved',
  ])
    dropUnless(body, key, isList);
  const accounts = [
    body.from,
    body.recipient,
    body.conversation,
    ...((body.membersAdded as unknown[]) ?? []),
    ...((body.membersRemoved as unknown[]) ?? []),
  ];
  for (const account of accounts) {
    if (!isObject(account)) continue;
    for (const field of ['id', 'name', 'aadObjectId', 'role', 'tenantId', 'conversationType'])
      dropUnless(account, field, isText);
  }
  return null;
}

/** A service URL on this computer: the only kind local mode answers. */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * A response whose server errors say nothing internal: CloudAdapter answers a failed turn with the
 * error's message (an address, a DNS error). The message goes to the log with a reference; the
 * caller gets the reference.
 */
function guardServerErrors(res: restify.Response, log: Logger): restify.Response {
  let status = 200;
  return new Proxy(res, {
    get(target, property) {
      if (property === 'status')
        return (code: number): void => {
          status = code;
          target.status(code);
        };
      if (property === 'send')
        return (body?: unknown): void => {
          if (status < 500) {
            target.send(body);
            return;
          }
          const errorRef = errorReference();
          log.error(
            { errorRef, status, detail: typeof body === 'string' ? body.slice(0, 300) : undefined },
            'request failed',
          );
          target.send({
            error: 'Something went wrong on our side. Nothing was changed; please try again in a moment.',
            reference: errorRef,
          });
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: CaseRecordsBot;
  log: Logger;
  /** Local mode: activities are answered only at loopback service URLs. */
  localMode: boolean;
  /** The turns being handled, counted so that background work goes between them. */
  turns: TurnsInFlight;
  /** Checks the database answers; used by the health endpoint. */
  health: () => Promise<void>;
  /** Further routes on the same server: the tab and its API, downloads. */
  routes?: ((server: restify.Server) => void)[];
}

export function createServer(deps: ServerDeps): restify.Server {
  const httpLog = deps.log.child(
    { component: 'http' },
    // Download links carry signatures in their query strings: restify's own log lines never show them.
    { serializers: { req: (req: restify.Request) => ({ method: req.method, url: withoutQuery(req.url) }) } },
  );
  const server = restify.createServer({
    name: 'case-records-assistant',
    handleUncaughtExceptions: false,
    log: httpLog as unknown as restify.ServerOptions['log'],
  });
  // Every response, restify's own 404 and 405 included, is never sniffed into another type.
  server.pre((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return next();
  });
  // Neither Teams nor a browser sends a compressed request body. restify's body reader would
  // inflate one (a body that is not really gzip crashes it; a small one can inflate to gigabytes),
  // so a body with any Content-Encoding is refused before it is read, on every route.
  server.pre((req, res, next) => {
    if (req.headers['content-encoding'] !== undefined) {
      res.send(415, { error: 'Compressed request bodies are not accepted; send the body uncompressed.' });
      return next(false);
    }
    return next();
  });
  // Every body the server takes is JSON (Teams' activities, the tab's calls): a body of any other
  // type is refused before it is read, so no form is ever parsed and no upload written to disk.
  server.pre((req, res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && req.getContentType() !== 'application/json') {
      res.send(415, { error: 'The request body must be JSON, sent as Content-Type: application/json.' });
      return next(false);
    }
    // A body announced as too large is refused at once, not waited for.
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.send(413, { error: `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.` });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const problem = screenActivity(req.body);
    if (problem) {
      res.send(400, { error: `The request body must be a Bot Framework activity: ${problem}.` });
      return;
    }
    if (deps.localMode && !isLoopbackUrl((req.body as { serviceUrl: string }).serviceUrl)) {
      res.send(403, {
        error:
          'In local mode the bot answers only service URLs on this computer (http://127.0.0.1, http://localhost); nothing was done.',
      });
      return;
    }
    await deps.turns.run(() =>
      deps.adapter.process(req, guardServerErrors(res, deps.log), (context) => deps.bot.run(context)),
    );
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await deps.health();
      res.send(200, { status: 'ok' });
    } catch (error) {
      deps.log.error({ err: error }, 'health check failed');
      res.send(503, { status: 'unavailable' });
    }
  });

  for (const add of deps.routes ?? []) add(server);

  server.on(
    'restifyError',
    (req: restify.Request, res: restify.Response, err: Error, callback: () => void) => {
      const code = (err as { statusCode?: unknown }).statusCode;
      const status = typeof code === 'number' ? code : 500;
      if (status < 500) {
        deps.log.warn({ url: withoutQuery(req.url), status }, 'request refused');
        callback();
        return;
      }
      // restify would answer a handler's failure with its error message (an address, a path, a
      // DNS error): the log gets the error, the caller a reference to it.
      const errorRef = errorReference();
      deps.log.error({ err, url: withoutQuery(req.url), status, errorRef }, 'request failed');
      if (!res.headersSent)
        res.send(status, {
          error: 'Something went wrong on our side. Nothing was changed; please try again in a moment.',
          reference: errorRef,
        });
      callback();
    },
  );
  // A request is received within seconds or not at all: a client that trickles its headers or
  // body (or announces more than it sends) cannot hold a connection for Node's default 5 minutes.
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}
