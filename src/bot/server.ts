import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import restify from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CaseRecordsBot } from './bot.js';

/** Activities larger than this are refused with 413: no real Teams activity comes close. */
export const MAX_BODY_BYTES = 256 * 1024;

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
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
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
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const body = req.body as { type?: unknown } | undefined;
    if (!body || typeof body !== 'object' || typeof body.type !== 'string') {
      res.send(400, { error: 'The request body must be a Bot Framework activity.' });
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
