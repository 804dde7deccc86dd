// Draws a few chat messages as Microsoft Teams shows them in its light theme, in a browser page:
// what the person typed on the right, the bot's messages (text and Adaptive Card) on the left.
// Cards are rendered by the Adaptive Cards SDK, the renderer the card tests validate with, with
// Teams' host configuration: its colours (test/cards/teams-colours.ts), fonts, spacing and
// actions as Teams publishes them for the Adaptive Cards designer. Buttons and inputs get Teams'
// look through the SDK's CSS classes.
import path from 'node:path';
import type * as AdaptiveCardsSdk from 'adaptivecards';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../src/repo-root.js';
import { CONTAINER_STYLES, FONT_SIZES, TEAMS_THEMES } from '../test/cards/teams-colours.js';

const LIGHT = TEAMS_THEMES.find((t) => t.name === 'light')!;

/** Segoe UI where it is installed; otherwise a sans-serif of about its width. */
const FONT = "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";

/** Teams' host configuration for Adaptive Cards, light theme. */
export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: FONT,
  fontSizes: {
    small: FONT_SIZES.small,
    default: FONT_SIZES.default,
    medium: FONT_SIZES.medium,
    large: FONT_SIZES.large,
    extraLarge: FONT_SIZES.extralarge,
  },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: Object.fromEntries(
    CONTAINER_STYLES.map((style) => [
      style,
      {
        backgroundColor: LIGHT.containers[style].background,
        foregroundColors: LIGHT.containers[style].foreground,
      },
    ]),
  ),
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: LIGHT.showCardStyle },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: false },
  factSet: {
    title: { weight: 'bolder', wrap: true },
    value: { wrap: true },
    spacing: 16,
  },
};

/** The width of the chat column, as a card has it in the Teams desktop client. */
const CHAT_WIDTH = 560;
/** Taller than this, a picture shows the top and fades out: a tall card is read by scrolling. */
const MAX_HEIGHT = 1400;

const CSS = `
html, body { margin: 0; background: #f5f5f5; color: #242424; font-family: ${FONT}; font-size: 14px; line-height: 20px; }
.chat { box-sizing: content-box; width: ${CHAT_WIDTH}px; padding: 16px 20px 20px; display: flex; flex-direction: column; gap: 12px; max-height: ${MAX_HEIGHT}px; overflow: hidden; position: relative; }
.chat.cut::after { content: ''; position: absolute; left: 0; right: 0; bottom: 0; height: 96px; background: linear-gradient(rgba(245,245,245,0), #f5f5f5); }
.said { align-self: flex-end; max-width: 80%; background: #e8ebfa; border-radius: 4px; padding: 8px 16px; white-space: pre-wrap; }
.bot { align-self: stretch; }
.from { font-size: 12px; line-height: 16px; color: #616161; margin: 0 0 4px 2px; }
.bubble { background: #ffffff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,0.14), 0 0 2px rgba(0,0,0,0.12); overflow: hidden; }
.bubble .text { padding: 8px 16px; white-space: pre-wrap; }
.bubble .text + .card { border-top: 1px solid #e0e0e0; }
.ac-pushButton { font-family: ${FONT}; font-size: 14px; font-weight: 600; min-height: 32px; padding: 5px 12px; border-radius: 4px; border: 1px solid #d1d1d1; background: #ffffff; color: #242424; }
.ac-pushButton.style-positive, .ac-pushButton.primary { background: #6264a7; border-color: #6264a7; color: #ffffff; }
.ac-pushButton.style-destructive { color: #c4314b; }
.ac-pushButton.expanded { background: #e8ebfa; color: #242424; border-color: #d1d1d1; }
.ac-pushButton.expandable:after { content: none; }
.ac-input { font-family: ${FONT}; font-size: 14px; color: #242424; }
.ac-textInput, .ac-multichoiceInput, .ac-dateInput, .ac-timeInput, .ac-numberInput { box-sizing: border-box; min-height: 32px; padding: 5px 10px; border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 4px; background: #ffffff; }
.ac-textInput.ac-multiline { min-height: 64px; }
.ac-toggleInput input, .ac-choiceSetInput-expanded input, .ac-choiceSetInput-multiSelect input { accent-color: #6264a7; }
`;

/** One message in the chat: typed by the person, or sent by the bot (text, card or both). */
export type ChatMessage = { said: string } | { text?: string; card?: Record<string, unknown> };

/** Opens a blank chat page with the Adaptive Cards SDK loaded. */
export async function openChat(page: Page): Promise<void> {
  await page.setContent(
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"></head><body></body></html>',
  );
  await page.addStyleTag({ path: path.join(REPO_ROOT, 'node_modules/adaptivecards/dist/adaptivecards.css') });
  await page.addStyleTag({ content: CSS });
  await page.addScriptTag({
    path: path.join(REPO_ROOT, 'node_modules/adaptivecards/dist/adaptivecards.min.js'),
  });
}

/** Draws `messages` as a chat with `bot` and returns the picture (PNG). */
export async function chatPicture(page: Page, bot: string, messages: ChatMessage[]): Promise<Buffer> {
  // No named functions inside: the page runs this code as it is written, without tsx's helpers.
  const problems = await page.evaluate(
    ({ bot, messages, hostConfig }) => {
      const sdk = (window as unknown as { AdaptiveCards: typeof AdaptiveCardsSdk }).AdaptiveCards;
      const found: string[] = [];
      const chat = Object.assign(document.createElement('div'), { className: 'chat' });
      for (const message of messages) {
        if ('said' in message) {
          chat.append(
            Object.assign(document.createElement('div'), { className: 'said', textContent: message.said }),
          );
          continue;
        }
        const bubble = Object.assign(document.createElement('div'), { className: 'bubble' });
        if (message.text)
          bubble.append(
            Object.assign(document.createElement('div'), { className: 'text', textContent: message.text }),
          );
        if (message.card) {
          const card = new sdk.AdaptiveCard();
          card.hostConfig = new sdk.HostConfig(hostConfig);
          const context = new sdk.SerializationContext(sdk.Versions.v1_5);
          card.parse(message.card, context);
          for (let i = 0; i < context.eventCount; i++) found.push(context.getEventAt(i).message);
          const rendered = card.render();
          const holder = Object.assign(document.createElement('div'), { className: 'card' });
          if (rendered) holder.append(rendered);
          else found.push('the card did not render');
          bubble.append(holder);
        }
        const from = Object.assign(document.createElement('div'), { className: 'from', textContent: bot });
        const wrapper = Object.assign(document.createElement('div'), { className: 'bot' });
        wrapper.append(from, bubble);
        chat.append(wrapper);
      }
      document.body.replaceChildren(chat);
      if (chat.scrollHeight > chat.clientHeight) chat.classList.add('cut');
      return found;
    },
    { bot, messages, hostConfig: TEAMS_LIGHT_HOST_CONFIG },
  );
  if (problems.length)
    throw new Error(`The Adaptive Cards SDK could not read a card: ${problems.join('; ')}`);
  return page.locator('.chat').screenshot({ type: 'png' });
}
