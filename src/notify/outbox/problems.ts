// What the outbox tells people about (through log.warn and the onProblem callback).
export interface OutboxProblem {
  /** Notifier id, e.g. "slack-bot"; "outbox" for storage problems. */
  target: string;
  /**
   * rejected: a permanent error (bad token, unknown channel, our formatting bug), reported once per
   *   target and error; the message is dropped.
   * expired: a message passed its deadline undelivered and was dropped.
   * gave-up: maxAttempts reached.
   * storage: the state folder cannot be written; the outbox works in memory.
   */
  kind: 'rejected' | 'expired' | 'gave-up' | 'storage';
  error: string;
  hint: string;
  notificationId?: string;
  event?: string;
}
