export * from './list-prices.js';
export * from './load-test-cost.js';
