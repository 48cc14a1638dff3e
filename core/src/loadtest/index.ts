export * from './profile.js';
export * from './estimate.js';
export * from './k6-options.js';
export * from './extra-instances.js';
