// The one typed event bus. The serial path emits and moves on: delivery happens on a later turn of
// the event loop, in order, so a slow or failing subscriber never delays a line to the printer.
import type { EventName, EventOf, OctoslackEvent } from './events.js';

type Listener = (e: OctoslackEvent) => void | Promise<void>;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly queue: OctoslackEvent[] = [];
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onListenerError: (err: unknown, e: OctoslackEvent) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<N extends EventName>(name: N, listener: (e: EventOf<N>) => void): () => void {
    return this.subscribe((e) => {
      if (e.event === name) listener(e as EventOf<N>);
    });
  }

  emit(event: OctoslackEvent): void {
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.deliver());
    }
  }

  /** Resolves once every event emitted so far has been handed to every listener. */
  flush(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private deliver(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0);
    for (const e of batch) {
      for (const l of this.listeners) {
        try {
          const r = l(e);
          if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((err) => this.onListenerError(err, e));
        } catch (err) {
          this.onListenerError(err, e);
        }
      }
    }
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.deliver());
      return;
    }
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}
