/**
 * Bounds the messages published and not yet acknowledged by JetStream, across all the
 * writes of a sink: past the bound a write waits (first come, first served) instead of
 * piling up requests, timers and buffered bytes in the client without limit.
 */
export class InFlightLimiter {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    this.available = capacity;
  }

  /** Messages awaiting their acks now. */
  get inFlight(): number {
    return this.capacity - this.available;
  }

  /** Takes a slot at once if one is free and nobody is queued before us. */
  tryAcquire(): boolean {
    if (this.available > 0 && this.waiters.length === 0) {
      this.available -= 1;
      return true;
    }
    return false;
  }

  /** Takes up to `wanted` slots at once, as many as are free and if nobody is queued before us; returns how many. */
  tryAcquireUpTo(wanted: number): number {
    if (this.waiters.length > 0) return 0;
    const taken = Math.min(this.available, wanted);
    this.available -= taken;
    return taken;
  }

  /** Waits for a slot; rejects with `onTimeout()` after `timeoutMs`. */
  acquire(timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(onTimeout());
        }, Math.max(1, timeoutMs)),
      };
      this.waiters.push(waiter);
    });
  }

  /** Gives a slot back: straight to the first waiter, if any. */
  release(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.available = Math.min(this.capacity, this.available + 1);
    }
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}
