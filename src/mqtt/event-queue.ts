// Non-retained messages (events, command answers) waiting for the broker: bounded, oldest dropped.
// The state needs no queue: it is read afresh from the printer on every (re)connect.
export interface QueuedMessage {
  topic: string;
  payload: string;
}

export class BoundedQueue {
  private readonly items: QueuedMessage[] = [];
  private droppedCount = 0;

  constructor(readonly limit: number, private readonly onFirstDrop: () => void) {}

  get length(): number {
    return this.items.length;
  }

  push(m: QueuedMessage): void {
    this.items.push(m);
    if (this.items.length > this.limit) {
      this.items.shift();
      if (this.droppedCount++ === 0) this.onFirstDrop();
    }
  }

  shift(): QueuedMessage | undefined {
    return this.items.shift();
  }

  /** How many were dropped since the last call. */
  takeDropped(): number {
    const n = this.droppedCount;
    this.droppedCount = 0;
    return n;
  }
}
