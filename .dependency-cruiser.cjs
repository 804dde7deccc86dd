// The layering rule (docs/decisions/0008-one-door-to-the-data.md), checked on every `npm test`:
// bot/ and the tab API reach data only through services; rules/ stays pure; nothing goes round
// in a circle. Type-only imports count: an arrow is an arrow.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules never import each other in a circle.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'rules-are-pure',
      severity: 'error',
      comment: 'rules/ imports nothing of ours outside rules/ (it also runs in the browser).',
      from: { path: '^src/rules/' },
      to: { path: '^src/', pathNot: '^src/rules/' },
    },
    {
      name: 'understanding-is-pure',
      severity: 'error',
      comment: 'understanding/ reads text only: it may use rules/, nothing else of ours.',
      from: { path: '^src/understanding/' },
      to: { path: '^src/', pathNot: '^src/(understanding|rules)/' },
    },
    {
      name: 'web-not-to-store',
      severity: 'error',
      comment: 'The tab API and the download routes reach data only through services.',
      from: { path: '^src/web/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'bot-to-store-only-for-its-messenger',
      severity: 'error',
      comment:
        'The bot reaches data only through services; its messenger alone keeps conversation references and sends the outbox.',
      from: { path: '^src/bot/' },
      to: { path: '^src/store/', pathNot: '^src/store/(conversations|outbox)[.]ts$' },
    },
    {
      name: 'web-not-to-bot',
      severity: 'error',
      comment: 'The tab API does not use the bot: what both need lives below them (actions/, downloads/, …).',
      from: { path: '^src/web/' },
      to: { path: '^src/bot/' },
    },
    {
      name: 'bot-not-to-web',
      severity: 'error',
      comment: 'The bot does not use the tab API or its routes.',
      from: { path: '^src/bot/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'actions-not-to-ui-or-store',
      severity: 'error',
      comment: 'The verb table returns results, not cards or HTTP, and goes through services.',
      from: { path: '^src/actions/' },
      to: { path: '^src/(bot|web|tab|cards|store|cli)/' },
    },
    {
      name: 'cards-render-only',
      severity: 'error',
      comment: 'Cards render what they are given; they read no data and know no transport.',
      from: { path: '^src/(cards|sentences)/' },
      to: { path: '^src/(bot|web|tab|store|cli)/' },
    },
    {
      name: 'services-below-their-callers',
      severity: 'error',
      comment: 'Services know nothing of the bot, the tab, the cards or the verb table.',
      from: { path: '^src/services/' },
      to: { path: '^src/(bot|web|tab|cards|actions|sentences|cli)/' },
    },
    {
      name: 'directory-sync-at-services-level',
      comment:
        'The directory sync (src/directory/) is a service: it uses the store and the rules, never what calls it.',
      severity: 'error',
      from: { path: '^src/directory/' },
      to: { path: '^src/(bot|web|tab|cards|actions|sentences|cli)/' },
    },
    {
      name: 'store-below-services',
      severity: 'error',
      comment: 'The store is the bottom layer above the rules.',
      from: { path: '^src/store/' },
      to: { path: '^src/(bot|web|tab|cards|actions|sentences|services|directory|imports|cli|downloads)/' },
    },
    {
      name: 'tab-takes-no-server-code',
      severity: 'error',
      comment: 'The browser tab bundles rules/ and its own code; from the server it takes types only.',
      from: { path: '^src/tab/' },
      to: { path: '^src/', pathNot: '^src/(tab|rules)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '[.]test[.]ts$' },
  },
};
