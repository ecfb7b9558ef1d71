/**
 * The `limit` oldest records of one read, shared by all its readers (one per shard or partition). A
 * reader offers each record it reads; once the collection is full, a record newer than the newest kept
 * one is refused, and a record older than it pushes that one out. Records within one shard or partition
 * arrive oldest first, so a reader whose record was refused has nothing older left to offer and stops.
 * The read thus holds at most `limit` records (plus the page in hand), whatever the number of readers,
 * and returns exactly the `limit` oldest of what its readers could reach.
 */
export class OldestRecords<T> {
  private readonly kept: T[] = [];

  constructor(
    readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  get full(): boolean {
    return this.kept.length >= this.limit;
  }

  /** Keeps the record if it is among the `limit` oldest so far; false when it is not (it is newer than all kept). */
  offer(record: T): boolean {
    if (this.full) {
      const newest = this.kept[this.kept.length - 1]!;
      if (this.compare(record, newest) >= 0) return false;
      this.kept.pop();
    }
    // Binary search for the first kept record newer than this one.
    let lo = 0;
    let hi = this.kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.kept[mid]!, record) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.kept.splice(lo, 0, record);
    return true;
  }

  /** Oldest first. */
  records(): T[] {
    return [...this.kept];
  }
}
