/**
 * `@okr-embed/contract`: what the widgets and the BFF agree on — the JSON views, the enums, the
 * limits, the progress rules and the date rules. Both halves import it by name.
 */
export * from './enums.js';
export * from './limits.js';
export * from './dates.js';
export * from './progress.js';
export * from './events.js';
export * from './authoring.js';
export type * from './views.js';
