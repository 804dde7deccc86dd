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
import type { CaseRecordsBot } from './bot.js';

/** Activities larger than this are refused with 413: no real Teams activity comes close. */
export const MAX_BODY_BYTES = 256 * 1024;

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
    try {
      return await authenticate(activity, authHeader);
    } catch (error) {
      if (error instanceof AuthenticationError || !isTokenError(error)) throw error;
      throw new AuthenticationError(`Unauthorized: ${(error as Error).message}`, StatusCodes.UNAUTHORIZED);
    }
  };
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity(
        'Sorry, something went wrong on my side. Nothing was changed; please try again in a moment.',
      );
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

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: CaseRecordsBot;
  log: Logger;
  /** Checks the database answers; used by the health endpoint. */
  health: () => Promise<void>;
  /** Further routes on the same server: the tab and its API, downloads. */
  routes?: ((server: restify.Server) => void)[];
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({
    name: 'case-records-assistant',
    handleUncaughtExceptions: false,
    log: deps.log.child({ component: 'http' }) as unknown as restify.ServerOptions['log'],
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
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const problem = screenActivity(req.body);
    if (problem) {
      res.send(400, { error: `The request body must be a Bot Framework activity: ${problem}.` });
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
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
    (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
      deps.log.warn({ url: req.url, status: (err as { statusCode?: number }).statusCode }, 'request refused');
      callback();
    },
  );
  return server;
}
