// The shared rules module: pure functions and data, used by the bot, the tab and the CLI.
export * from './dates.js';
export * from './working-days.js';
export * from './pension-age.js';
export * from './schedule.js';
export * from './retention.js';
export * from './roles.js';
export * from './refusal.js';
export * from './authorisation.js';
export * from './holds.js';
export * from './disposition.js';
export * from './notifications.js';
export * from './destruction.js';
export * from './destruction-batch.js';
export * from './directory.js';
export * from './procedure.js';
export * from './own-data.js';
