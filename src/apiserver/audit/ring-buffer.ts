/** A fixed-capacity ring: `push` is O(1) and allocates nothing once constructed; the oldest item is overwritten. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`ring capacity must be a non-negative integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    this.items[this.next] = item;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** Items that satisfy `keep`, oldest first. */
  filter(keep: (item: T) => boolean): T[] {
    const out: T[] = [];
    const start = this.count < this.capacity ? 0 : this.next;
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(start + i) % this.capacity] as T;
      if (keep(item)) out.push(item);
    }
    return out;
  }
}
