/**
 * Hands out turns for expensive work a few at a time per event-loop iteration, so that a burst of mutating
 * requests cannot hold the loop for long: between slices the loop polls sockets again and cheap requests (reads,
 * watches) are answered in between, the way API Priority and Fairness keeps reads flowing under write load.
 */
export class TurnQueue {
  private budget: number;
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {
    this.budget = perTurn;
  }

  /** Resolves when the caller may run; at most `perTurn` callers run per event-loop iteration. */
  take(): Promise<void> {
    if (this.budget > 0 && this.waiting.length === 0) {
      this.budget--;
      this.schedule();
      return Promise.resolve();
    }
    const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.schedule();
    return turn;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.budget = this.perTurn;
      while (this.budget > 0 && this.waiting.length > 0) {
        this.budget--;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0 || this.budget < this.perTurn) this.schedule();
    });
  }
}
