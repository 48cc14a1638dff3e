export * from './runbook.js';
