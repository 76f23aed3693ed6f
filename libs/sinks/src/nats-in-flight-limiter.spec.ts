import { InFlightLimiter } from './nats-in-flight-limiter';

describe('InFlightLimiter', () => {
  it('hands out up to the free slots at once, none while someone waits, and back to the waiter first', async () => {
    const limiter = new InFlightLimiter(5);
    expect(limiter.tryAcquireUpTo(3)).toBe(3);
    expect(limiter.tryAcquireUpTo(3)).toBe(2);
    expect(limiter.tryAcquireUpTo(3)).toBe(0);
    expect(limiter.inFlight).toBe(5);
    const waiting = limiter.acquire(1_000, () => new Error('timed out'));
    limiter.release();
    limiter.release();
    // One slot went to the waiter, one is free, and the waiter is served before anyone else.
    await waiting;
    expect(limiter.inFlight).toBe(4);
    expect(limiter.tryAcquireUpTo(3)).toBe(1);
  });
});
