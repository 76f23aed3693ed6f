import type { AckOutcome, JetStreamAckRouter } from './nats-ack-router';
import type { InFlightLimiter } from './nats-in-flight-limiter';

/**
 * The acks one write awaits: `done` resolves when JetStream acknowledged every message
 * added before `sealed()`, and rejects at the first refusal, at fail() (timeout, lost
 * connection) or never resolves early. Whatever happens, every in-flight slot it holds goes
 * back to the limiter exactly once: on its ack, or when the batch gives up on it.
 */
export class BatchAcks {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;
  private readonly tokens: string[] = [];
  private outstanding = 0;
  private sealed = false;
  private finished = false;

  constructor(
    private readonly router: JetStreamAckRouter,
    private readonly limiter: InFlightLimiter,
    private readonly refused: (outcome: Exclude<AckOutcome, { ok: true }>, msgId: string) => Error,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // The write awaits `done` only once every message is out; a failure before that is
    // still reported through it.
    this.done.catch(() => undefined);
  }

  get settled(): boolean {
    return this.finished;
  }

  /** Publishes one message; the caller holds an in-flight slot for it, which this batch now owns. */
  add(subject: string, data: Uint8Array, msgId: string): void {
    let token: string;
    try {
      token = this.router.publish(subject, data, msgId, (outcome) => this.acked(outcome, msgId));
    } catch (error) {
      this.limiter.release();
      throw error;
    }
    this.tokens.push(token);
    this.outstanding += 1;
  }

  /** Every message is out: resolve once their acks are all in. */
  seal(): void {
    this.sealed = true;
    if (this.outstanding === 0) this.finish();
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    // Stop waiting for the acks still due; their slots go back now.
    for (const token of this.tokens) {
      if (this.router.forget(token)) this.limiter.release();
    }
    this.rejectDone(error);
  }

  private acked(outcome: AckOutcome, msgId: string): void {
    this.limiter.release();
    if (this.finished) return;
    if (!outcome.ok) {
      this.fail(this.refused(outcome, msgId));
      return;
    }
    this.outstanding -= 1;
    if (this.sealed && this.outstanding === 0) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.resolveDone();
  }
}
