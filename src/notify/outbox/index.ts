// The persistent notification outbox: per-target ordered delivery with retries, deadlines and
// supersede, journaled under the state folder.
export { Outbox, type OutboxOptions, type DrainResult } from './outbox.js';
export type { OutboxProblem } from './problems.js';
export type { Grouping } from './lane.js';
export { DEFAULT_BACKOFF, DEFAULT_DEADLINES, type Backoff, type Deadlines } from './policy.js';
