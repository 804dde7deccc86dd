// The framework's floor: a minimal botbuilder bot on restify and CloudAdapter, set up as our bot
// is (local mode, the same body parser and size limit), doing no work but a reply. Run as a child
// process by the benchmark; it tells its parent its port over IPC.
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type AdaptiveCardInvokeResponse,
} from 'botbuilder';
import restify from 'restify';
import { MAX_BODY_BYTES } from '../src/bot/server.js';
import { serveChild } from './child.js';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  protected override onAdaptiveCardInvoke(): Promise<AdaptiveCardInvokeResponse> {
    return Promise.resolve({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Done.' }] },
    });
  }
}

const adapter = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }),
);
const bot = new EchoBot();
const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});

await serveChild({
  listen: () =>
    new Promise<number>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve(server.address().port));
    }),
  close: () => Promise.resolve(void server.close()),
});
