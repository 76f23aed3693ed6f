import type { AckOutcome, AckTarget, JetStreamAckRouter } from './nats-ack-router';
import type { NatsBatchFrames } from './nats-batch-frames';
import type { InFlightLimiter } from './nats-in-flight-limiter';

/**
 * The acks one write awaits: `done` resolves when JetStream acknowledged every message
 * published before `seal()`, and rejects at the first refusal, at fail() (timeout, lost
 * connection) or never resolves early. Whatever happens, every in-flight slot it holds goes
 * back to the limiter exactly once: on its ack, or when the batch gives up on it.
 */
export class BatchAcks implements AckTarget {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;
  /** 1 once message i has its ack (a repeated ack must not count twice). */
  private readonly ackedFlags: Uint8Array;
  /** Messages 0 .. published - 1 are out, each holding a slot until its ack. */
  private published = 0;
  private ackedCount = 0;
  private sealed = false;
  private finished = false;

  constructor(
    private readonly router: JetStreamAckRouter,
    private readonly limiter: InFlightLimiter,
    private readonly frames: NatsBatchFrames,
    private readonly refused: (outcome: Exclude<AckOutcome, { ok: true }>, msgId: string) => Error,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // The write awaits `done` only once every message is out; a failure before that is
    // still reported through it.
    this.done.catch(() => undefined);
    router.open(frames.batch, this);
    this.ackedFlags = new Uint8Array(this.frames.count);
  }

  get settled(): boolean {
    return this.finished;
  }

  /** Messages not yet published. */
  get remaining(): number {
    return this.frames.count - this.published;
  }

  /** Publishes the next `count` messages; the caller holds an in-flight slot for each, which this batch now owns. */
  publishNext(count: number): void {
    const from = this.published;
    try {
      this.router.publish(this.frames, from, from + count);
    } catch (error) {
      for (let slot = 0; slot < count; slot++) this.limiter.release();
      throw error;
    }
    this.published = from + count;
  }

  /** Every message is out: resolve once their acks are all in. */
  seal(): void {
    this.sealed = true;
    if (!this.finished && this.ackedCount === this.published) this.succeed();
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.stopRouting();
    // Stop waiting for the acks still due; their slots go back now.
    for (let slot = this.ackedCount; slot < this.published; slot++) this.limiter.release();
    this.rejectDone(error);
  }

  acked(index: number, outcome: AckOutcome): void {
    if (this.finished || !(index >= 0 && index < this.published) || this.ackedFlags[index] === 1) return;
    this.ackedFlags[index] = 1;
    this.ackedCount += 1;
    this.limiter.release();
    if (!outcome.ok) {
      this.fail(this.refused(outcome, this.frames.ids[index] as string));
      return;
    }
    if (this.sealed && this.ackedCount === this.published) this.succeed();
  }

  private succeed(): void {
    this.stopRouting();
    this.resolveDone();
  }

  private stopRouting(): void {
    this.finished = true;
    this.router.close(this.frames.batch);
  }
}
