/** Hands out identifiers; passed into the engine so that a seeded run names things the same way. */
export interface IdSource {
  /** Returns the next identifier with the given prefix, e.g. `ord-17`. */
  next(prefix: string): string;
}

/** Sequential identifiers per prefix, starting at 1. */
export class SequentialIds implements IdSource {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${n}`;
  }
}
