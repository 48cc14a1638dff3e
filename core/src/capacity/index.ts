export * from './queueing.js';
export * from './target-tracking.js';
export * from './purchase-options.js';
export * from './replay.js';
export * from './history.js';
