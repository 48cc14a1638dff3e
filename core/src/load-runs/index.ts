export * from './knee.js';
export * from './model.js';
export * from './port.js';
