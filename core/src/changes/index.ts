// The change engine: one shape for every kind of change (see engine.ts).
export * from './audit.js';
export * from './black-friday.js';
export * from './canonical.js';
export * from './diff.js';
export * from './effect.js';
export * from './engine.js';
export * from './kind.js';
export * from './kinds.js';
export * from './model.js';
export * from './ports.js';
export * from './recorded.js';
export * from './requests.js';
