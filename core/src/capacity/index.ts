export * from './queueing.js';
export * from './target-tracking.js';
